/**
 * Deploy start-up: `npm run db:migrate` on an empty database against psql running the same
 * migration files in one session (`psql -1 -f` for the transactional ones, consecutive ones in one
 * transaction; a `-- migrate:no-transaction` file on its own, as PostgreSQL requires for
 * CONCURRENTLY), no client start-up, wall-clock per run, p50 of MIGRATE_RUNS runs each, alternating.
 *
 * Seven runs, not three, so one run that a checkpoint or another process lands in does not decide
 * the median. It does not make runs agree: on one machine (a disk that syncs in 0.1 ms) psql's own
 * time moved between 0.23 and 0.68 s from one bench run to the next, and the ratio with it, 1.68-2.10
 * with three runs a side and 1.49-2.10 with seven (the package pays a fixed start-up that psql does
 * not, so the ratio is highest when psql is fastest).
 */
import { readFileSync } from "node:fs";
import { isNoTransaction, readJournal } from "../src/migrate/journal.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "../src/migrate/server.js";
import { latency, type Measure } from "./measure.js";
import { PSQL, runProgram } from "./programs.js";

/** psql arguments running `files` in order: transactional runs each in one transaction. */
function psqlArgs(files: string[]): string[] {
  const args: string[] = [];
  let open = false;
  for (const f of files) {
    const alone = isNoTransaction(readFileSync(f, "utf8"));
    if (alone && open) args.push("-c", "COMMIT");
    if (!alone && !open) args.push("-c", "BEGIN");
    open = !alone;
    args.push("-f", f);
  }
  if (open) args.push("-c", "COMMIT");
  return args;
}

export const MIGRATE_RUNS = 7;

export async function benchMigrate(adminUrl: string, runs = MIGRATE_RUNS): Promise<Measure> {
  const files = readJournal().map((m) => m.path);
  const ours: number[] = [];
  const bare: number[] = [];
  const name = `netops_bench_migrate_${process.pid}`;
  const url = withDatabase(adminUrl, name);
  try {
    for (let i = 0; i < runs; i++) {
      await maintenance(adminUrl, [dropDatabaseSql(name), createDatabaseSql(name)]);
      bare.push((await runProgram(PSQL, ["-X", "-q", "-v", "ON_ERROR_STOP=1", ...psqlArgs(files), url])).ms);
      await maintenance(adminUrl, [dropDatabaseSql(name), createDatabaseSql(name)]);
      ours.push(
        (await runProgram("npm", ["run", "--silent", "db:migrate"], { ...process.env, DATABASE_URL: url }))
          .ms,
      );
    }
  } finally {
    await maintenance(adminUrl, [dropDatabaseSql(name)]);
  }
  const toSeconds = (xs: number[]) => xs.map((x) => x / 1000);
  const m = latency(
    "migrate.empty",
    toSeconds(ours),
    toSeconds(bare),
    `${files.length} migrations; baseline: psql -1 -f of the same files (no-transaction ones alone)`,
  );
  return { ...m, unit: "s" };
}
