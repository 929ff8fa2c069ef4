// Issue 19 §6: reparations and testimony texts say what docs/domain-facts.md says, no more.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const read = (lng: string, ns: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(process.cwd(), "locales", lng, `${ns}.json`), "utf8"));
const flat = (o: unknown): string[] =>
  typeof o === "string" ? [o] : Object.values(o as object).flatMap(flat);

describe("reparations and testimony texts say only what the sources say", () => {
  it.each(["fr", "en", "bm"])("no %s text presents law 2019-042 (final text unchecked) to her", (lng) => {
    const texts = [...flat(read(lng, "reparations")), ...flat(read(lng, "testimony"))];
    expect(texts.filter((t) => t.includes("2019-042"))).toEqual([]);
  });
  it("the French answer says the AGRV decides who qualifies, not that only the AGRV decides", () => {
    const who = read("fr", "reparations").who_decides as string;
    expect(who).not.toMatch(/seule/i);
    expect(who).toContain("L'AGRV");
    expect(who).toContain("décide qui a droit");
  });
  it("the French CVJR overview keeps the fact sheet's 'especially against women and children'", () => {
    const overview = read("fr", "testimony").overview as string;
    expect(overview).not.toMatch(/surtout/);
    expect(overview).toContain("en particulier contre les femmes et les enfants");
  });
});
