/**
 * Deploy start-up: `npm run db:migrate` on an empty database against `psql -1 -f` of the same
 * migration files (one transaction, no client start-up), wall-clock per run, p50 of 3 runs each.
 */
import { spawn } from "node:child_process";
import { readJournal } from "../src/migrate/journal.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "../src/migrate/server.js";
import { latency, type Measure, now } from "./measure.js";

const PSQL = process.env.PSQL ?? "psql";

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(now() - start);
      else reject(new Error(`${command} ${args[0] ?? ""} exited with ${code}: ${err.split("\n")[0]}`));
    });
  });
}

export async function benchMigrate(adminUrl: string, runs = 3): Promise<Measure> {
  const files = readJournal().map((m) => m.path);
  const ours: number[] = [];
  const bare: number[] = [];
  const name = `netops_bench_migrate_${process.pid}`;
  const url = withDatabase(adminUrl, name);
  try {
    for (let i = 0; i < runs; i++) {
      await maintenance(adminUrl, [dropDatabaseSql(name), createDatabaseSql(name)]);
      bare.push(
        await run(
          PSQL,
          ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", ...files.flatMap((f) => ["-f", f]), url],
          process.env,
        ),
      );
      await maintenance(adminUrl, [dropDatabaseSql(name), createDatabaseSql(name)]);
      ours.push(await run("npm", ["run", "--silent", "db:migrate"], { ...process.env, DATABASE_URL: url }));
    }
  } finally {
    await maintenance(adminUrl, [dropDatabaseSql(name)]);
  }
  const toSeconds = (xs: number[]) => xs.map((x) => x / 1000);
  const m = latency(
    "migrate.empty",
    toSeconds(ours),
    toSeconds(bare),
    `${files.length} migrations; baseline: psql -1 -f of the same files`,
  );
  return { ...m, unit: "s" };
}
