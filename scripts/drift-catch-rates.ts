/**
 * The evidence behind building drift on catalog queries (README "Drift check"): every scenario of
 * the drift corpus (test/migrate/drift-corpus.ts), committed to its own copy of a migrated database,
 * judged by three checks against a reference built the same way:
 *   - db:drift (src/migrate/drift.ts): detected, and named the object and property expected;
 *   - @pgkit/migra (`migra run ref case --unsafe --with-privileges`): printed any statement;
 *   - pg_dump --schema-only of both, compared after dropping comments, SET lines and psql
 *     meta-commands (and this server build's own `pg_attver` column option).
 * Equivalence scenarios (the same schema spelled differently) count as false positives when reported.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/drift-catch-rates.ts
 *
 * Needs pg_dump on PATH and network access to npm for `npx @pgkit/migra` (or MIGRA=<path to migra>).
 * It creates netops_rates_* databases and drops them. Not part of CI: a measurement.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";
import { createDb } from "../src/db.js";
import { EXIT, exitCodeOf, failureLine } from "../src/errors/exit-codes.js";
import { compareSchemas, readSchema } from "../src/migrate/drift.js";
import { migrate } from "../src/migrate/runner.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "../src/migrate/server.js";
import { corpusFolder, matches, SCENARIOS, type Scenario } from "../test/migrate/drift-corpus.js";

const exec = promisify(execFile);
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) {
  console.error("error: set BENCH_DATABASE_URL (a server where databases may be created)");
  process.exit(EXIT.usage);
}
const stamp = Date.now().toString(36);
const names = {
  base: `netops_rates_${stamp}_base`,
  ref: `netops_rates_${stamp}_ref`,
  case: `netops_rates_${stamp}_case`,
};

/** The real failure mode the issue names, which needs statements outside a transaction. */
const INVALID_INDEX: Scenario & { steps: string[] } = {
  name: "unique index left INVALID by a failed CREATE UNIQUE INDEX CONCURRENTLY",
  catalog: "pg_index.indisvalid",
  sql: "",
  steps: [
    "DROP INDEX idx_asset_assignments_asset_id_open",
    "WITH a AS (INSERT INTO assets (asset_code) VALUES ('A-1') RETURNING id) INSERT INTO asset_assignments (asset_id, assignee_type, assignee_id, assignee_name) SELECT id, 'person', p, p FROM a, (VALUES ('u1'), ('u2')) v(p)",
    "CREATE UNIQUE INDEX CONCURRENTLY idx_asset_assignments_asset_id_open ON asset_assignments (asset_id) WHERE returned_at IS NULL",
  ],
  expect: [
    {
      change: "changed",
      kind: "index",
      object: "asset_assignments.idx_asset_assignments_asset_id_open",
      property: "valid",
    },
  ],
};

async function migrated(name: string, folder: string) {
  await maintenance(url as string, [createDatabaseSql(name, "template0")]);
  const handle = await createDb({ url: withDatabase(url as string, name), max: 1 });
  try {
    await migrate(handle.db, { migrationsFolder: folder });
  } finally {
    await handle.close();
  }
}

/** pg_dump --schema-only, without what differs between any two dumps (comments, SETs, \restrict keys). */
async function dump(name: string): Promise<string> {
  const { stdout } = await exec("pg_dump", ["--schema-only", withDatabase(url as string, name)], {
    maxBuffer: 64 << 20,
  });
  return stdout
    .split("\n")
    .filter(
      (l) =>
        !l.startsWith("--") &&
        !l.startsWith("\\") &&
        !/^SET |^SELECT pg_catalog.set_config/.test(l) &&
        l.trim() !== "",
    )
    .join("\n")
    .replace(/pg_attver=\d+,?/g, "")
    .replace(/ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(\);\n?/g, "");
}

async function migra(): Promise<string> {
  // Options after the URLs: `--unsafe [boolean]` would take a URL as its value.
  const args = [
    "run",
    withDatabase(url as string, names.ref),
    withDatabase(url as string, names.case),
    "--unsafe",
    "--with-privileges",
  ];
  const [command, prefix] = process.env.MIGRA
    ? [process.env.MIGRA, []]
    : ["npx", ["--yes", "@pgkit/migra@0.6.1"]];
  try {
    const { stdout } = await exec(command, [...prefix, ...args], { maxBuffer: 64 << 20 });
    return stdout.trim();
  } catch (error) {
    const e = error as { stderr?: string };
    return `ERROR ${(e.stderr ?? String(error)).split("\n")[0]}`;
  }
}

async function main() {
  const folder = corpusFolder();
  await migrated(names.base, folder);
  await migrated(names.ref, folder);
  const refHandle = await createDb({ url: withDatabase(url as string, names.ref), max: 1 });
  const reference = await readSchema(refHandle.db);
  await refHandle.close();
  const refDump = await dump(names.ref);

  const scenarios: (Scenario & { steps?: string[] })[] = [
    { name: "no change", catalog: "-", sql: "SELECT 1", expect: [] },
    INVALID_INDEX,
    ...SCENARIOS,
  ];
  const rows: { name: string; change: boolean; ours: string; migra: string; dump: string }[] = [];
  for (const s of scenarios) {
    await maintenance(url as string, [createDatabaseSql(names.case, names.base)]);
    try {
      const client = postgres(withDatabase(url as string, names.case), { max: 1, onnotice: () => {} });
      try {
        for (const step of s.steps ?? [s.sql]) await client.unsafe(step).catch(() => {});
      } finally {
        await client.end();
      }
      const handle = await createDb({ url: withDatabase(url as string, names.case), max: 1 });
      const { items } = compareSchemas(reference, await readSchema(handle.db));
      await handle.close();
      const change = s.expect.length > 0;
      const named = change && s.expect.every((e) => items.some((i) => matches(i, e)));
      const migraOut = await migra();
      const dumpDiffers = (await dump(names.case)) !== refDump;
      rows.push({
        name: s.name,
        change,
        ours: items.length === 0 ? "-" : named ? "named" : "found",
        migra: migraOut.startsWith("ERROR") ? migraOut : migraOut === "" ? "-" : "found",
        dump: dumpDiffers ? "found" : "-",
      });
      process.stderr.write(".");
    } finally {
      await maintenance(url as string, [dropDatabaseSql(names.case)]);
    }
  }
  process.stderr.write("\n");
  for (const r of rows)
    console.log(
      `${r.change ? "change " : "same   "} ${r.ours.padEnd(6)} ${r.migra.padEnd(6)} ${r.dump.padEnd(6)} ${r.name}`,
    );
  const changes = rows.filter((r) => r.change);
  const same = rows.filter((r) => !r.change);
  const rate = (pick: (r: (typeof rows)[number]) => boolean) =>
    `${changes.filter(pick).length}/${changes.length}`;
  const falsePositives = (pick: (r: (typeof rows)[number]) => boolean) =>
    `${same.filter(pick).length}/${same.length}`;
  console.log(
    `\nchanges detected:      db:drift ${rate((r) => r.ours !== "-")} (object and property named: ${rate((r) => r.ours === "named")}), migra ${rate((r) => r.migra === "found")}, pg_dump ${rate((r) => r.dump === "found")}`,
  );
  console.log(
    `false positives:       db:drift ${falsePositives((r) => r.ours !== "-")}, migra ${falsePositives((r) => r.migra === "found")}, pg_dump ${falsePositives((r) => r.dump === "found")}`,
  );
  console.log(`migra errors:          ${rows.filter((r) => r.migra.startsWith("ERROR")).length}`);
}

main()
  .catch((error) => {
    console.error(failureLine(error));
    process.exitCode = exitCodeOf(error);
  })
  .finally(() =>
    maintenance(url as string, [
      dropDatabaseSql(names.case),
      dropDatabaseSql(names.ref),
      dropDatabaseSql(names.base),
    ]),
  );
