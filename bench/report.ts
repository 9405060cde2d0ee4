/** The bench's output: a human-readable table (default) or one JSON object (--json). */
import type { Machine } from "./machine.js";
import type { Measure } from "./measure.js";
import type { PlanFinding } from "./plans.js";

export interface BenchReport {
  machine: Machine;
  scale: {
    factor: number;
    seed: number;
    database: string;
    reused: boolean;
    loadSeconds: number;
    rows: Record<string, number>;
  };
  measures: Measure[];
  plans?: PlanFinding[];
}

const num = (x: number | null) =>
  x === null
    ? "-"
    : Math.abs(x) >= 100
      ? Math.round(x).toLocaleString("en-US")
      : String(Number(x.toPrecision(3)));

export function formatTable(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, load ${m.loadAverage.join(" ")}; PostgreSQL ${m.postgres}; Node ${m.node}`,
    `disk sync: ${num(m.fsyncPerSec)} fdatasync/s (${m.fsyncMethod}; ${m.fsyncPath})`,
    `node start-up: ${m.nodeStartMs} ms${m.nodeStartWithoutExtraCaMs === undefined ? "" : ` (${m.nodeStartWithoutExtraCaMs} ms without NODE_EXTRA_CA_CERTS, which this environment sets)`}; migrate.empty starts two node processes (npm, the CLI), psql none`,
    `settings: ${Object.entries(m.settings)
      .filter(([k]) => k !== "data_directory")
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
    `data set: factor ${r.scale.factor}, seed ${r.scale.seed} (${r.scale.rows.assets?.toLocaleString("en-US")} assets, ${r.scale.rows.cmdb_cis?.toLocaleString("en-US")} CIs, ${r.scale.rows.cmdb_relationships?.toLocaleString("en-US")} relationships) in ${r.scale.database}${r.scale.reused ? " (reused)" : `, loaded in ${r.scale.loadSeconds.toFixed(0)} s`}`,
    "",
  ];
  const header = ["measure", "unit", "package p50", "p95", "bare p50", "p95", "ratio", "note"];
  const rows = r.measures.map((x) => [
    x.name,
    x.unit,
    num(x.ours),
    x.p95 ? num(x.p95.ours) : "",
    num(x.baseline),
    x.p95 ? num(x.p95.baseline) : "",
    x.ratio === null ? "-" : x.ratio.toFixed(2),
    x.note ?? "",
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (i === 7 ? 0 : (row[i] ?? "").length))),
  );
  const fmt = (row: string[]) =>
    row
      .map((cell, i) =>
        i === 7 ? cell : i === 0 || i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join("  ");
  lines.push(fmt(header), ...rows.map(fmt));
  if (r.plans) {
    const bad = r.plans.filter((p) => !p.indexed);
    lines.push(
      "",
      `plans: ${r.plans.length - bad.length} of ${r.plans.length} package reads are served by indexes${bad.length ? "; not served:" : ""}`,
    );
    for (const p of bad) lines.push(`  ${p.name}: ${p.unindexed.join("; ")}`);
  }
  lines.push(
    "",
    "ratio = package / baseline (ms, s, ms/doc: lower is better, so < 1 beats the baseline; docs/s, rows/s: higher is better)",
  );
  return lines.join("\n");
}
