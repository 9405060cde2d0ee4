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
 * Time `ours` and `bare` on the same inputs, alternating (bare first on even samples, ours first on
 * odd ones) so neither side always meets a cache the other warmed; `check` compares their answers
 * on the first input (the two sides must do the same job).
 */
export async function paired<I, A, B>(
  inputs: I[],
  ours: (input: I) => Promise<A>,
  bare: (input: I) => Promise<B>,
  check?: (a: A, b: B, input: I) => void,
  warmup = 3,
  budgetMs = 20_000,
): Promise<{ ours: number[]; bare: number[] }> {
  for (const input of inputs.slice(0, warmup)) {
    const a = await ours(input);
    const b = await bare(input);
    check?.(a, b, input);
  }
  const o: number[] = [];
  const r: number[] = [];
  const started = now();
  for (const [i, input] of inputs.entries()) {
    // Slow cases (whole-table scans at factor 1) stop at the time budget, after at least 10 samples.
    if (i >= 10 && now() - started > budgetMs) break;
    const first = i % 2 === 0 ? "bare" : "ours";
    for (const side of first === "bare" ? ["bare", "ours"] : ["ours", "bare"]) {
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
