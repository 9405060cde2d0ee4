/**
 * The bench runs end to end at a tiny factor and keeps its JSON contract (one object on stdout:
 * machine with fsyncPerSec, scale, measures with name/unit/ours/baseline/ratio). Timings are not
 * judged here (the machine is shared): only that every measure was taken against a real baseline.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backend, onServer } from "../support/test-db.js";

const EXPECTED = [
  "asset.get",
  "asset.by_code",
  "search.serial",
  "search.code_prefix",
  "search.hostname_prefix",
  "search.mac",
  "search.ip",
  "search.ip_cidr",
  "list.page",
  "list.status_cursor",
  "list.location_subtree",
  "list.category",
  "impact.dependents.d4",
  "impact.dependents.d4.client_cpu",
  "impact.dependencies.d4",
  "impact.dependencies.d4.client_cpu",
  "impact.hub",
  "impact.hub.client_cpu",
  "posting.hot",
  "posting.hot.client_cpu",
  "posting.hot.statements",
  "posting.spread",
  "posting.spread.client_cpu",
  "posting.spread.statements",
  "posting.hot.single_statement",
  "create_asset.loop",
  "create_asset.loop8",
  "import.assets",
  "import.assets.small",
  "migrate.empty",
  // The pooler group starts a PgBouncer; without pgbouncer installed it measures nothing (CI installs it).
  ...(process.env.CI === "true" || existsSync("/usr/sbin/pgbouncer") ? ["pooler.get", "pooler.mix8"] : []),
];

describe.runIf(onServer())("npm run bench -- --json at a tiny factor", () => {
  it("prints one JSON object with the machine, the data set and every measure against its baseline", () => {
    const b = backend();
    if (b.kind !== "server") throw new Error("needs a server");
    const run = spawnSync(
      "npx",
      [
        "tsx",
        "bench/index.ts",
        "--scale",
        "0.002",
        "--json",
        "--samples",
        "12",
        "--clients",
        "2",
        "--docs",
        "10",
      ],
      { env: { ...process.env, BENCH_DATABASE_URL: b.adminUrl }, encoding: "utf8", timeout: 400_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      machine: {
        fsyncPerSec: number;
        cores: number;
        postgres: string;
        nodeStartMs: number;
        nodeStartWithoutExtraCaMs?: number;
      };
      scale: { factor: number; database: string; rows: { assets: number } };
      measures: { name: string; unit: string; ours: number | null; baseline: number; ratio: number | null }[];
      plans: { name: string; indexed: boolean }[];
    };
    expect(report.machine.fsyncPerSec).toBeGreaterThan(0);
    expect(report.machine.nodeStartMs).toBeGreaterThan(0);
    // Measured without the variable exactly when the environment sets it.
    expect(report.machine.nodeStartWithoutExtraCaMs === undefined).toBe(
      process.env.NODE_EXTRA_CA_CERTS === undefined,
    );
    expect(report.scale).toMatchObject({ factor: 0.002, rows: { assets: 2_000 } });
    expect(report.measures.map((m) => m.name)).toEqual(EXPECTED);
    for (const m of report.measures) {
      expect(m.baseline, m.name).toBeGreaterThan(0);
      expect(m.ratio, m.name).toBeCloseTo((m.ours as number) / m.baseline, 1);
    }
    expect(report.plans.map((p) => p.name)).toEqual(
      expect.arrayContaining(["search.serial", "impact.dependents.d4"]),
    );
    // Nothing left behind: the scratch database was dropped.
    const left = spawnSync(
      "psql",
      ["-XAtc", `SELECT count(*) FROM pg_database WHERE datname = '${report.scale.database}'`, b.adminUrl],
      {
        encoding: "utf8",
      },
    );
    expect(left.stdout.trim()).toBe("0");
  }, 420_000);
});
