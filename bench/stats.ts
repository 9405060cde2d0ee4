/** Small timing helpers for the benchmarks (milliseconds from process.hrtime). */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, mean, p50: at(0.5), p95: at(0.95) };
}

export const fmt = (x: number, digits = 2) => x.toFixed(digits);
