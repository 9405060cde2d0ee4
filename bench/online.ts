/**
 * `npm run bench:online -- --database <url>`: a migration of the 0003/0004 kind (a CHECK on `assets`,
 * an index on `assets`, a UNIQUE constraint on `cmdb_relationships`) run against a full database
 * while the application looks assets up by id, written two ways:
 *
 * - blocking: as 0003/0004 were written for an empty database (CHECK with its scan under ACCESS
 *   EXCLUSIVE, plain CREATE INDEX, ADD CONSTRAINT UNIQUE building its index under ACCESS EXCLUSIVE);
 * - online: CREATE [UNIQUE] INDEX CONCURRENTLY in a `-- migrate:no-transaction` file, then the CHECK
 *   `NOT VALID` and the UNIQUE constraint `USING INDEX`, then `VALIDATE CONSTRAINT` in a later file.
 *
 * Each runs through `db:migrate` as its own process, quiet and with a long report reading `assets`
 * (a transaction holding its lock and snapshot for --report seconds); the lookups (4 clients,
 * `SELECT * FROM assets WHERE id = $1`, random ids) record their worst and p99 latency. The baseline
 * is the runner as it was: everything in one transaction, no lock timeout (`--single-transaction
 * --lock-timeout 0`). Printed: each scenario's worst lookup, its ratio to the baseline in the same
 * run, and the lock timeout it must stay under.
 *
 * The database must be a scratch copy migrated to head (e.g. a clone of the factor-1 data set:
 * `CREATE DATABASE x TEMPLATE netops_scale_1_pristine`): the bench adds and drops its own objects
 * (named bench_online_*) and their history rows, and leaves it as it found it.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { EXIT } from "../src/errors/exit-codes.js";
import { readJournal, sha256 } from "../src/migrate/journal.js";
import { DEFAULT_LOCK_TIMEOUT_MS } from "../src/migrate/session.js";

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    report: { type: "string", default: "20" },
    clients: { type: "string", default: "4" },
  },
});
const url = values.database ?? process.env.ONLINE_DATABASE_URL;
if (!url) {
  console.error(
    "usage: npm run bench:online -- --database <postgres url of a scratch database migrated to head> [--report <s>] [--clients <n>]",
  );
  process.exit(EXIT.usage);
}
const reportSeconds = Number(values.report);
const clients = Number(values.clients);

const CHECK = "(warranty_end IS NULL OR purchase_date IS NULL OR warranty_end >= purchase_date)";
/** Like 0003 (constraints) then 0004 (indexes): two files. */
const BLOCKING_CONSTRAINTS = [
  `ALTER TABLE "assets" ADD CONSTRAINT "bench_online_assets_warranty_check" CHECK ${CHECK};`,
  `ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "bench_online_rel_key" UNIQUE ("from_ci_id", "to_ci_id", "rel_type_id");`,
];
const BLOCKING_INDEXES = [
  `CREATE INDEX "bench_online_idx_assets_warranty_end" ON "assets" USING btree ("warranty_end");`,
];
const ONLINE_INDEXES = [
  "-- migrate:no-transaction",
  `CREATE INDEX CONCURRENTLY IF NOT EXISTS "bench_online_idx_assets_warranty_end" ON "assets" USING btree ("warranty_end");`,
  `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "bench_online_rel_key" ON "cmdb_relationships" USING btree ("from_ci_id", "to_ci_id", "rel_type_id");`,
];
const ONLINE_CONSTRAINTS = [
  `ALTER TABLE "assets" ADD CONSTRAINT "bench_online_assets_warranty_check" CHECK ${CHECK} NOT VALID;`,
  `ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "bench_online_rel_key" UNIQUE USING INDEX "bench_online_rel_key";`,
];
const ONLINE_VALIDATE = [`ALTER TABLE "assets" VALIDATE CONSTRAINT "bench_online_assets_warranty_check";`];
const CLEANUP = [
  `ALTER TABLE "assets" DROP CONSTRAINT IF EXISTS "bench_online_assets_warranty_check"`,
  `ALTER TABLE "cmdb_relationships" DROP CONSTRAINT IF EXISTS "bench_online_rel_key"`,
  `DROP INDEX IF EXISTS "bench_online_rel_key"`,
  `DROP INDEX IF EXISTS "bench_online_idx_assets_warranty_end"`,
];

const BREAK = "\n--> statement-breakpoint\n";
/** The first line of a no-transaction file stays on its own line, before the first statement. */
const file = (statements: string[]) =>
  statements[0]?.startsWith("--")
    ? `${statements[0]}\n${statements.slice(1).join(BREAK)}`
    : statements.join(BREAK);

/** The committed migrations (so the history matches) plus `extra`, in a scratch folder. */
function folderWith(extra: { tag: string; sql: string }[]): { dir: string; hashes: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "netops-online-"));
  mkdirSync(join(dir, "meta"));
  const committed = readJournal();
  const entries = committed.map((m) => {
    writeFileSync(join(dir, `${m.tag}.sql`), readFileSync(m.path));
    return { idx: m.idx, version: "7", when: m.when, tag: m.tag, breakpoints: true };
  });
  let when = (committed[committed.length - 1]?.when ?? 0) + 1;
  for (const m of extra) {
    writeFileSync(join(dir, `${m.tag}.sql`), m.sql);
    entries.push({ idx: entries.length, version: "7", when: when++, tag: m.tag, breakpoints: true });
  }
  writeFileSync(
    join(dir, "meta", "_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries }),
  );
  return { dir, hashes: extra.map((m) => sha256(m.sql)) };
}

const n = readJournal().length;
const tag = (k: number, name: string) => `${String(n + k).padStart(4, "0")}_${name}`;
const FILES = {
  blocking: [
    { tag: tag(0, "bench_online_constraints"), sql: file(BLOCKING_CONSTRAINTS) },
    { tag: tag(1, "bench_online_indexes"), sql: file(BLOCKING_INDEXES) },
  ],
  online: [
    { tag: tag(0, "bench_online_indexes"), sql: file(ONLINE_INDEXES) },
    { tag: tag(1, "bench_online_constraints"), sql: file(ONLINE_CONSTRAINTS) },
    { tag: tag(2, "bench_online_validate"), sql: file(ONLINE_VALIDATE) },
  ],
};

function migrateProcess(folder: string, args: string[]) {
  return new Promise<{ code: number | null; ms: number; out: string }>((ok) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", resolve("src/cli.ts"), "migrate", "--migrations", folder, ...args],
      { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("close", (code) => ok({ code, ms: Math.round(performance.now() - started), out }));
  });
}

interface Scenario {
  name: string;
  files: { tag: string; sql: string }[];
  args: string[];
  report: boolean;
  /** The lock timeout this scenario's lookups must stay under (none for the baseline). */
  bound: number | null;
}

const sql = postgres(url, {
  max: clients + 2,
  onnotice: () => {},
  connection: { application_name: "netops-bench-online" },
});

async function lookups(ids: string[]) {
  let stop = false;
  const latencies: number[] = [];
  const loops = Array.from({ length: clients }, async (_, c) => {
    let i = c;
    while (!stop) {
      i = (i * 7919 + 13) % ids.length;
      const id = ids[i];
      const started = performance.now();
      await sql`SELECT * FROM assets WHERE id = ${id as string}`;
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  return async () => {
    stop = true;
    await Promise.all(loops);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      worst: Math.round(sorted[sorted.length - 1] ?? 0),
      p99: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      count: sorted.length,
    };
  };
}

async function cleanup(hashes: string[]) {
  for (const statement of CLEANUP) await sql.unsafe(statement);
  await sql`DELETE FROM drizzle.__drizzle_migrations WHERE hash = ANY(${hashes})`;
}

async function runScenario(s: Scenario, ids: string[]) {
  const { dir, hashes } = folderWith(s.files);
  await cleanup(hashes);
  const stopLookups = await lookups(ids);
  await new Promise((r) => setTimeout(r, 500));
  let report: Promise<unknown> = Promise.resolve();
  if (s.report) {
    // The report has read assets (holds its lock and, while it runs, a snapshot) before migrate starts.
    let reading: () => void = () => {};
    const read = new Promise<void>((r) => {
      reading = r;
    });
    report = sql.begin(async (tx) => {
      await tx`SELECT count(*) FROM assets WHERE status = 'in_use'`;
      reading();
      await tx`SELECT pg_sleep(${reportSeconds})`;
    });
    await read;
  }
  const result = await migrateProcess(dir, s.args);
  await report;
  await new Promise((r) => setTimeout(r, 300));
  const reads = await stopLookups();
  const retries = (result.out.match(/lock timeout \(\d+ ms\) in .*; retry/g) ?? []).length;
  await cleanup(hashes);
  rmSync(dir, { recursive: true, force: true });
  return { ...s, code: result.code, ms: result.ms, retries, ...reads, out: result.out };
}

async function main() {
  const [count] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM assets`;
  console.log(`database: ${count?.n ?? 0} assets; lookups: ${clients} clients; report: ${reportSeconds} s`);
  const ids = (await sql<{ id: string }[]>`SELECT id FROM assets TABLESAMPLE SYSTEM (1) LIMIT 2000`).map(
    (r) => r.id,
  );
  const before = ["--single-transaction", "--lock-timeout", "0"];
  const T = DEFAULT_LOCK_TIMEOUT_MS;
  const scenarios: Scenario[] = [
    {
      name: "blocking files, one transaction, no lock timeout (before)",
      files: FILES.blocking,
      args: before,
      report: false,
      bound: null,
    },
    {
      name: "blocking files, this runner (lock timeout 5 s)",
      files: FILES.blocking,
      args: [],
      report: false,
      bound: null,
    },
    {
      name: "online files, this runner (lock timeout 5 s)",
      files: FILES.online,
      args: [],
      report: false,
      bound: T,
    },
    {
      name: `blocking files, one transaction, no lock timeout (before) + ${reportSeconds} s report`,
      files: FILES.blocking,
      args: before,
      report: true,
      bound: null,
    },
    {
      name: `blocking files, this runner + ${reportSeconds} s report`,
      files: FILES.blocking,
      args: [],
      report: true,
      bound: null,
    },
    {
      name: `online files, this runner + ${reportSeconds} s report`,
      files: FILES.online,
      args: [],
      report: true,
      bound: T,
    },
  ];
  const results: Awaited<ReturnType<typeof runScenario>>[] = [];
  for (const s of scenarios) {
    const r = await runScenario(s, ids);
    console.error(
      `  ${r.name}: migrate exit ${r.code} in ${r.ms} ms, ${r.retries} lock-timeout retries, worst lookup ${r.worst} ms`,
    );
    if (r.code !== 0)
      console.error(
        r.out
          .trim()
          .split("\n")
          .map((l) => `    ${l}`)
          .join("\n"),
      );
    results.push(r);
  }
  const baseline = (report: boolean) => results.find((r) => r.report === report && r.args === before)!;
  console.log(`\nlookup by id on assets while the migration runs (lock timeout ${T} ms)`);
  console.log(
    "scenario | migrate exit | migrate ms | lock-timeout retries | lookups | p99 ms | worst ms | worst / baseline | under the lock timeout",
  );
  console.log("--- | --- | --- | --- | --- | --- | --- | --- | ---");
  let ok = true;
  for (const r of results) {
    const base = baseline(r.report);
    const under = r.bound === null ? "-" : r.worst < r.bound ? "yes" : "NO";
    if (under === "NO") ok = false;
    console.log(
      `${r.name} | ${r.code} | ${r.ms} | ${r.retries} | ${r.count} | ${r.p99} | ${r.worst} | ${(r.worst / Math.max(base.worst, 1)).toFixed(2)} | ${under}`,
    );
  }
  await sql.end();
  process.exitCode = ok ? 0 : 1;
}

main().catch(async (error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  await sql.end({ timeout: 1 });
  process.exitCode = 1;
});
