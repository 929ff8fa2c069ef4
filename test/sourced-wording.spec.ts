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
  it.each(["fr", "en"])("no %s answer calls a gap 'not publicly known/confirmed': it says Sira found no public information", (lng) => {
    const texts = [...flat(read(lng, "reparations")), ...flat(read(lng, "testimony"))];
    expect(texts.filter((t) => /(connu|confirmée?s?) publiquement|publicly (known|confirmed)|ne sont pas connus de Sira|does not know/i.test(t))).toEqual([]);
    const found = lng === "fr" ? "Sira n'a pas trouvé d'information publique sur" : "Sira found no public information on";
    for (const [ns, key] of [["reparations", "how_to_apply"], ["reparations", "amount"], ["reparations", "who_decides"], ["testimony", "today_unknown"], ["testimony", "keep_safe"]]) {
      expect(read(lng, ns)[key]).toContain(found);
    }
  });
  it("the French answers use plain words, not the policy's jargon", () => {
    const texts = [...flat(read("fr", "reparations")), ...flat(read("fr", "testimony"))];
    const jargon = /indemnisation|réadaptation|non-répétition|fiche de déposition|héritiers|antennes/i;
    expect(texts.filter((t) => jargon.test(t))).toEqual([]);
  });
  it.each(["fr", "en"])("the %s 'papers' answer never implies papers will be needed (documents are a gap)", (lng) => {
    const keepSafe = read(lng, "testimony").keep_safe as string;
    expect(keepSafe).not.toMatch(/pièces d'identité|gardez|identity papers|keep your/i);
  });
  it("no Bambara text says what the French no longer says ('only the AGRV', 'keep your papers')", () => {
    expect(read("bm", "reparations").who_decides).toBeUndefined();
    expect(read("bm", "testimony").keep_safe).toBeUndefined();
    expect((read("bm", "testimony").menu as Record<string, string>).keep_safe).toBeUndefined();
  });
});
