/**
 * One measure of the report: ours (the package) against a baseline measured in the same run.
 * Latencies: p50 in ms (p95 alongside), lower is better; throughputs: per second, higher is better.
 * ratio = ours / baseline in both cases (the unit says which way is good).
 */
export interface Measure {
  name: string;
  unit: "ms" | "docs/s" | "rows/s" | "ops/s" | "s" | "ms/doc";
  better: "lower" | "higher";
  /** null when the package has no way to do the job yet (import.assets). */
  ours: number | null;
  baseline: number;
  ratio: number | null;
  p95?: { ours: number | null; baseline: number };
  samples?: number;
  note?: string;
}

export const now = () => performance.now();

export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);

/** A latency measure from paired samples (ms). */
export function latency(name: string, ours: number[], baseline: number[], note?: string): Measure {
  const o = quantile(ours, 0.5);
  const b = quantile(baseline, 0.5);
  return {
    name,
    unit: "ms",
    better: "lower",
    ours: round(o),
    baseline: round(b),
    ratio: round(o / b),
    p95: { ours: round(quantile(ours, 0.95)), baseline: round(quantile(baseline, 0.95)) },
    samples: ours.length,
    ...(note ? { note } : {}),
  };
}

export function throughput(
  name: string,
  unit: Measure["unit"],
  ours: number | null,
  baseline: number,
  note?: string,
): Measure {
  return {
    name,
    unit,
    better: unit === "ms/doc" || unit === "s" ? "lower" : "higher",
    ours: ours === null ? null : round(ours),
    baseline: round(baseline),
    ratio: ours === null ? null : round(ours / baseline),
    ...(note ? { note } : {}),
  };
}

/**
 * Calls of each side before timing (or as many as WARMUP_BUDGET_MS allows): getAsset's p50 was
 * 0.263 ms after 300 calls, 0.105 after 700 and 0.068-0.075 from ~1,500 on, against bare
 * postgres.js's 0.174, 0.065 and 0.064-0.067 (V8 optimises the package's longer path later, and
 * both backends warm their caches). An application runs in that steady state.
 */
export const JIT_WARMUP_CALLS = 2_000;
export const WARMUP_BUDGET_MS = 5_000;

/** Warm-up calls before `timed` timed ones: JIT_WARMUP_CALLS, fewer for a short run (CI's smoke run). */
export const warmupCalls = (timed: number) => Math.min(JIT_WARMUP_CALLS, 10 * timed);

/**
 * The untimed warm-up: `calls` rounds over the first 20 inputs, or fewer once WARMUP_BUDGET_MS is
 * spent (never before each of them ran once); `round` runs every side once on its input, `first`
 * on the input's first round (where callers compare the sides' answers).
 */
export async function warmUp<I>(
  inputs: I[],
  calls: number,
  round: (input: I, first: boolean) => Promise<void>,
): Promise<void> {
  const warmInputs = inputs.slice(0, 20);
  const started = now();
  for (let i = 0; i < calls && warmInputs.length > 0; i++) {
    if (i >= warmInputs.length && now() - started > WARMUP_BUDGET_MS) break;
    await round(warmInputs[i % warmInputs.length] as I, i < warmInputs.length);
  }
}

/**
 * Time `ours` and `bare` on the same inputs, alternating (bare first on even samples, ours first on
 * odd ones); `check` compares their answers on the first inputs (the two sides must do the same job).
 *
 * Before timing, both sides run JIT_WARMUP_CALLS times over the first few inputs (see there). And
 * each input is read once by each side, untimed, before either is timed on it: a backend reading
 * pages of shared_buffers it has not read before pays for it, even when another backend has just
 * read them (the bare statement on a second connection, right after the first read the same 400
 * rows: 302 us per call, then 213 us on the next pass; 1.5 minor page faults per call, then 0). With
 * the order alternating and one side warming the cache, the other side paid that on every sample:
 * getAsset measured 0.108 against 0.066 ms so, and 0.064-0.090 against 0.066-0.090 ms with each side
 * warm. Each side's own first read is not what it adds to the same server work; in an application
 * the pool's backends have long read the hot pages.
 */
export async function paired<I, A, B>(
  inputs: I[],
  ours: (input: I) => Promise<A>,
  bare: (input: I) => Promise<B>,
  check?: (a: A, b: B, input: I) => void,
  warmup = warmupCalls(inputs.length),
  budgetMs = 20_000,
): Promise<{ ours: number[]; bare: number[] }> {
  await warmUp(inputs, warmup, async (input, first) => {
    const a = await ours(input);
    const b = await bare(input);
    if (first) check?.(a, b, input);
  });
  const o: number[] = [];
  const r: number[] = [];
  const started = now();
  for (const [i, input] of inputs.entries()) {
    // Slow cases (whole-table scans at factor 1) stop at the time budget, after at least 10 samples.
    if (i >= 10 && now() - started > budgetMs) break;
    const order = i % 2 === 0 ? (["bare", "ours"] as const) : (["ours", "bare"] as const);
    // The untimed reads in the timed order, so neither side's timed call follows its own untimed one.
    for (const side of order) await (side === "ours" ? ours(input) : bare(input));
    for (const side of order) {
      const t = now();
      if (side === "ours") {
        await ours(input);
        o.push(now() - t);
      } else {
        await bare(input);
        r.push(now() - t);
      }
    }
  }
  return { ours: o, bare: r };
}
