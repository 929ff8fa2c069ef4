import fc from 'fast-check';

/**
 * How many cases each endpoint gets and from which seed: 1,000 in CI, `FUZZ_RUNS=10000` (npm run
 * fuzz) for the long run. The seed is fixed so a failure is replayed exactly; FUZZ_SEED moves it.
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261128);

/** fast-check parameters shared by every fuzz spec: fixed seed, no time limit per case, a short shrink. */
export function fuzzParameters(): fc.Parameters<unknown> {
  return { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true, verbose: 1 };
}

/** How many cases a webhook fuzz spec has in flight at once (FUZZ_WIDTH=1: one after the other). */
export const FUZZ_WIDTH = Math.max(1, Number(process.env.FUZZ_WIDTH ?? 4));

/**
 * The FUZZ_RUNS cases that `fc.assert` would run with `fuzzParameters()` (fc.sample with the same seed
 * draws the very same values, in the same order). 10,000 cases take ~10 s of one synchronous draw:
 * a spec draws them before it starts its app, so the app's start-up is not held up by it.
 */
export function drawFuzzCases<T>(arbitrary: fc.Arbitrary<T>): T[] {
  return fc.sample(arbitrary, { seed: FUZZ_SEED, numRuns: FUZZ_RUNS });
}

/**
 * Runs the fuzz cases (drawn already, or drawn here from `arbitrary` when they depend on the running
 * app), `width` at a time. Each webhook case is a
 * conversation of its own, so the cases are independent; with several in flight the service works on
 * one while another waits on PostgreSQL or Redis (a turn is ~45 ms of mostly waiting on a busy machine,
 * its CPU a third of that): 400 Twilio cases took 31 s one at a time, 11.5 s four at a time.
 * `check` returns what went wrong, or nothing. No new case starts after the first failure (like
 * `endOnFailure`); each failure names its index, and `fuzzCaseAt(arbitrary, index)` draws it again.
 */
export async function runFuzzCases<T>(source: fc.Arbitrary<T> | readonly T[], check: (c: T) => Promise<string | undefined>, width = FUZZ_WIDTH): Promise<{ cases: number; failures: string[] }> {
  const drawnHere = !Array.isArray(source);
  const cases: readonly T[] = drawnHere ? drawFuzzCases(source as fc.Arbitrary<T>) : (source as readonly T[]);
  // A draw here held the event loop past the server's keep-alive timeout: its idle sockets close as soon
  // as the loop runs again. Let that happen before the first request, or it may go out on a socket being
  // closed ("fetch failed" on case 0, seen with FUZZ_RUNS=10000).
  if (drawnHere) await new Promise((resolve) => setTimeout(resolve, 100));
  const failures: string[] = [];
  let next = 0;
  let ran = 0;
  const lane = async () => {
    while (next < cases.length && failures.length === 0) {
      const index = next++;
      ran++;
      const failure = await check(cases[index]!).catch((error: unknown) => `threw ${error instanceof Error ? error.stack : String(error)}`);
      if (failure) failures.push(`case ${index} (FUZZ_SEED=${FUZZ_SEED}): ${failure}`);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return { cases: ran, failures };
}

/** The case `runFuzzCases` ran at `index`, to replay one failure alone. */
export function fuzzCaseAt<T>(arbitrary: fc.Arbitrary<T>, index: number): T {
  return fc.sample(arbitrary, { seed: FUZZ_SEED, numRuns: index + 1 })[index]!;
}

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const loneSurrogates = fc.constantFrom('\uD800', '\uDBFF\uD800x', '\uDFFF', 'a\uDC00b');
const rtlAndZeroWidth = fc.constantFrom('\u202E1\u202C', '\u200B\u200B', '\uFEFF0', 'ߒߞߏ', 'ɛɔɲŋ ÉÈÀ', '٠١٢', '１', '🙂👩🏽‍👧', '\u0301\u0301');
/** strings far over any limit a sane message has (an SMS body is at most 1,600 characters). */
const huge = fc.tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('a', 'ɛ', '1 ', '🙂', '\u0000', '%', '&=')).map(([n, s]) => s.repeat(Math.ceil(n / s.length)));
const injectionLike = fc.constantFrom('${7*7}', '{{t}}', '$t(common:reprompt)', '__proto__', 'constructor', '%s%s%n', "'; drop table contacts; --", '<script>', '\\', 'null', 'undefined', 'NaN', '-1', '1e309', '00000000001', '  1  ', '1.', '+223 70 00 00 00');

/** Text a hostile or unlucky sender can put in a message: unicode, control characters, nulls, huge strings. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  controlChars,
  loneSurrogates,
  rtlAndZeroWidth,
  injectionLike,
  huge,
  fc.constant(''),
  fc.constant('\u0000'),
);

/** A JSON value of a type nobody expects where a string or a number should be. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.constant([]),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.constant({ __proto__: { polluted: true } }),
  hostileText,
);

/** Unhandled rejections seen while a spec runs (each must stay at zero). */
export function watchUnhandledRejections(): { count(): number; stop(): void } {
  let seen = 0;
  const onRejection = () => void seen++;
  process.on('unhandledRejection', onRejection);
  return { count: () => seen, stop: () => void process.off('unhandledRejection', onRejection) };
}
