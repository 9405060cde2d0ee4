/**
 * The database the benchmarks run on: a scratch database on the bench server, migrated and loaded
 * with the scale data set (seed/scale). `--reuse` keeps it under a fixed name and, next time,
 * reuses it when its stamp (factor, seed, migrations, data-set generator) still matches, so a
 * factor-1 run does not reload 8 million rows each time; anything else is dropped at the end.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { seedScale } from "../seed/scale/load.js";
import type { ProgressSink } from "../seed/scale/progress.js";
import { createDb, rows } from "../src/db.js";
import { readJournal } from "../src/migrate/journal.js";
import { migrate } from "../src/migrate/runner.js";
import {
  createDatabaseSql,
  dropDatabaseSql,
  maintenance,
  quoteIdent,
  withDatabase,
} from "../src/migrate/server.js";

export interface BenchDatabase {
  name: string;
  url: string;
  reused: boolean;
  /** Seconds the load took (0 when reused). */
  loadSeconds: number;
  /** Drop it, unless it is the kept (--reuse) one. */
  release(): Promise<void>;
}

const SCALE_DIR = fileURLToPath(new URL("../seed/scale/", import.meta.url));

/** What the data set depends on: factor, seed, every migration's hash and the generator's source. */
export function datasetStamp(factor: number, seed: number): string {
  const h = createHash("sha256");
  for (const m of readJournal()) h.update(m.hash);
  for (const file of readdirSync(SCALE_DIR).sort()) h.update(readFileSync(join(SCALE_DIR, file)));
  return `netops scale data set factor=${factor} seed=${seed} source=${h.digest("hex").slice(0, 16)}`;
}

export const cachedName = (factor: number, seed: number) =>
  `netops_bench_scale_${String(factor).replace(".", "p")}_s${seed}`;

export async function scaleDatabase(
  adminUrl: string,
  options: {
    factor: number;
    seed: number;
    reuse: boolean;
    /** Bench this existing database as it is (loaded and migrated by the caller); never dropped. */
    database?: string | undefined;
    progress: ProgressSink;
    log: (line: string) => void;
  },
): Promise<BenchDatabase> {
  if (options.database) {
    const name = options.database;
    const url = withDatabase(adminUrl, name);
    const admin = await createDb({ url: adminUrl, max: 1 });
    try {
      const [found] = await rows<{ datname: string }>(
        admin.db,
        sql`SELECT datname FROM pg_database WHERE datname = ${name}`,
      );
      if (!found) throw new Error(`--database ${name}: no such database on the bench server`);
    } finally {
      await admin.close();
    }
    options.log(`benching ${name} as it is (--database: not loaded, not migrated, not dropped)`);
    return { name, url, reused: true, loadSeconds: 0, release: async () => {} };
  }
  const stamp = datasetStamp(options.factor, options.seed);
  const name = options.reuse
    ? cachedName(options.factor, options.seed)
    : `netops_bench_${randomBytes(4).toString("hex")}`;
  const url = withDatabase(adminUrl, name);
  const release = async () => {
    if (!options.reuse) await maintenance(adminUrl, [dropDatabaseSql(name)]);
  };
  if (options.reuse) {
    const admin = await createDb({ url: adminUrl, max: 1 });
    try {
      const [found] = await rows<{ stamp: string | null }>(
        admin.db,
        sql`SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = ${name}`,
      );
      if (found?.stamp === stamp) {
        options.log(`reusing ${name} (${stamp})`);
        return { name, url, reused: true, loadSeconds: 0, release };
      }
      if (found) options.log(`${name} is stale or incomplete: rebuilding it`);
    } finally {
      await admin.close();
    }
  }
  await maintenance(adminUrl, [dropDatabaseSql(name), createDatabaseSql(name)]);
  try {
    const handle = await createDb({ url, max: 2 });
    try {
      await migrate(handle.db);
      options.log(`loading the scale data set (factor ${options.factor}, seed ${options.seed}) into ${name}`);
      // force: the database was created by this run, whatever the server's host.
      const report = await seedScale(handle, {
        factor: options.factor,
        seed: options.seed,
        force: true,
        url,
        progress: options.progress,
      });
      // The stamp is written last: a load that died half-way is never reused.
      if (options.reuse)
        await handle.db.execute(sql.raw(`COMMENT ON DATABASE ${quoteIdent(name)} IS '${stamp}'`));
      return { name, url, reused: false, loadSeconds: report.seconds, release };
    } finally {
      await handle.close();
    }
  } catch (error) {
    await maintenance(adminUrl, [dropDatabaseSql(name)]).catch(() => {});
    throw error;
  }
}
