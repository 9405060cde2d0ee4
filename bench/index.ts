/**
 * `npm run bench -- [--scale <factor>] [--seed <n>] [--reuse] [--json] [--only <group,...>] [--import-rows <n>]`
 *
 * Loads the production-shaped data set (seed/scale) at `factor` into a scratch database on the bench
 * server (BENCH_DATABASE_URL, else DATABASE_URL; the user must be allowed to CREATE DATABASE), then
 * measures every operation against a baseline run in the same process on the same data: hand-written
 * SQL on postgres.js, pgbench for the hot-row floor, COPY for import, psql for migrate. Prints a table
 * (p50/p95, ratio) with the machine's fsync rate, or with --json one JSON object on stdout.
 * --reuse keeps the database (netops_bench_scale_<factor>_s<seed>) and reuses it while its stamp
 * matches; otherwise it is dropped at the end. --database <name> benches an existing database as it
 * is (e.g. a clone of a loaded one, migrated by you): nothing loaded, migrated or dropped. Groups: plans (EXPLAIN of the package's reads: which
 * big-table scans no index serves), reads, impact, posting, writes, migrate, pooler (through PgBouncer
 * in transaction mode vs direct; skipped when pgbouncer is not installed; `--pooler-clients <n>` adds
 * pooler.mix<n>: n clients through PgBouncer's 8 server connections vs n direct connections).
 * `--import-rows <n>` sets the rows of the import.assets file (default: factor x 1,000,000, at least
 * 2,000; import.assets.small always loads 20,000).
 * Exit codes: 0 done, 1 failure, 2 usage / no server URL.
 */

import { parseArgs } from "node:util";
import postgres from "postgres";
import { SCALE_SEED } from "../seed/scale/load.js";
import { consoleProgress, silentProgress } from "../seed/scale/progress.js";
import { createDb, redactUrl } from "../src/db.js";
import { EXIT, exitCodeOf, failureLine } from "../src/errors/exit-codes.js";
import { UsageError } from "../src/errors/operational.js";
import { benchImpact } from "./impact.js";
import { describeMachine } from "./machine.js";
import type { Measure } from "./measure.js";
import { benchMigrate } from "./migrate.js";
import { benchPlans, type PlanFinding } from "./plans.js";
import { benchPooler } from "./pooler.js";
import { benchPosting } from "./posting.js";
import { benchReads } from "./reads.js";
import { type BenchReport, formatTable } from "./report.js";
import { scaleDatabase } from "./scale-db.js";
import { benchWrites, importRowsFor } from "./writes.js";

const GROUPS = ["plans", "reads", "impact", "posting", "writes", "migrate", "pooler"] as const;
type Group = (typeof GROUPS)[number];

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: "string", default: "0.05" },
      seed: { type: "string" },
      json: { type: "boolean", default: false },
      reuse: { type: "boolean", default: false },
      database: { type: "string" },
      only: { type: "string" },
      samples: { type: "string" },
      clients: { type: "string", default: "8" },
      "pooler-clients": { type: "string", default: "8" },
      docs: { type: "string", default: "100" },
      "import-rows": { type: "string" },
    },
    allowPositionals: false,
  });
  const factor = Number(values.scale);
  if (!Number.isFinite(factor) || factor <= 0)
    throw new UsageError("--scale takes a positive number (1 = 1,000,000 assets)");
  const seed = values.seed === undefined ? SCALE_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError("--seed takes an integer");
  if (values.database !== undefined && values.reuse)
    throw new UsageError("--database and --reuse exclude each other (--database is never loaded)");
  const only = values.only ? values.only.split(",").map((g) => g.trim()) : [...GROUPS];
  const unknown = only.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length > 0)
    throw new UsageError(`unknown group ${unknown.join(", ")} (groups: ${GROUPS.join(", ")})`);
  const int = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a positive integer`);
    return n;
  };
  return {
    factor,
    seed,
    json: values.json === true,
    reuse: values.reuse === true,
    database: values.database,
    groups: new Set(only as Group[]),
    // Fewer samples on small data sets: there are fewer distinct rows to ask for.
    samples: int(values.samples, factor >= 0.5 ? 200 : 60, "samples"),
    clients: int(values.clients, 8, "clients"),
    poolerClients: int(values["pooler-clients"], 8, "pooler-clients"),
    docs: int(values.docs, 100, "docs"),
    importRows:
      values["import-rows"] === undefined ? undefined : int(values["import-rows"], 0, "import-rows"),
  };
}

async function main(argv: string[]): Promise<number> {
  let o: ReturnType<typeof options>;
  try {
    o = options(argv);
  } catch (error) {
    // parseArgs's own errors (unknown option...) are usage errors too.
    const usage = error instanceof UsageError ? error : new UsageError((error as Error).message);
    console.error(failureLine(usage));
    return exitCodeOf(usage);
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.error("bench needs a PostgreSQL server: set BENCH_DATABASE_URL (or DATABASE_URL)");
    return EXIT.usage;
  }
  // With --json, stdout carries the JSON object only: progress and logs go to stderr.
  const log = (line: string) => (o.json ? console.error(line) : console.log(line));
  log(`bench server ${redactUrl(url)}`);
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  let machine: BenchReport["machine"];
  try {
    machine = await describeMachine(admin);
  } finally {
    await admin.end();
  }
  const db = await scaleDatabase(url, {
    factor: o.factor,
    seed: o.seed,
    reuse: o.reuse,
    database: o.database,
    progress: o.json ? silentProgress : consoleProgress(),
    log,
  });
  try {
    const measures: Measure[] = [];
    let plans: PlanFinding[] | undefined;
    if (o.groups.has("plans")) {
      log("planning the package's reads (EXPLAIN)...");
      plans = await benchPlans(db.url);
    }
    const step = async (group: Group, run: () => Promise<Measure[] | Measure>) => {
      if (!o.groups.has(group)) return;
      log(`measuring ${group}...`);
      const got = await run();
      measures.push(...(Array.isArray(got) ? got : [got]));
    };
    await step("reads", () => benchReads(db.url, o.samples));
    await step("impact", () => benchImpact(db.url, Math.min(o.samples, 100)));
    await step("posting", async () => {
      const handle = await createDb({ url: db.url, max: 2 });
      try {
        return await benchPosting(handle.db, db.url, { clients: o.clients, docsPerClient: o.docs });
      } finally {
        await handle.close();
      }
    });
    await step("writes", () =>
      benchWrites(db.url, {
        perWorker: o.factor >= 0.5 ? 300 : 100,
        importRows: o.importRows ?? importRowsFor(o.factor),
      }),
    );
    await step("migrate", () => benchMigrate(url));
    await step("pooler", () => benchPooler(db.url, o.samples, log, { clients: o.poolerClients }));
    const counts = postgres(db.url, { max: 1, onnotice: () => {} });
    let rows: Record<string, number> = {};
    try {
      const [c] = await counts<{ assets: number; cmdb_cis: number; cmdb_relationships: number }[]>`
        SELECT (SELECT count(*)::int FROM assets) AS assets, (SELECT count(*)::int FROM cmdb_cis) AS cmdb_cis,
               (SELECT count(*)::int FROM cmdb_relationships) AS cmdb_relationships`;
      rows = { ...c };
    } finally {
      await counts.end();
    }
    const report: BenchReport = {
      machine,
      scale: {
        factor: o.factor,
        seed: o.seed,
        database: db.name,
        reused: db.reused,
        loadSeconds: db.loadSeconds,
        rows,
      },
      measures,
      ...(plans ? { plans } : {}),
    };
    console.log(o.json ? JSON.stringify(report) : formatTable(report));
    return EXIT.ok;
  } finally {
    await db.release();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = exitCodeOf(error);
  },
);
