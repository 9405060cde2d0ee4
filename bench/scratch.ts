/** A throwaway database on the benchmark server: created, migrated, dropped at the end. */
import { randomBytes } from "node:crypto";
import { createDb, type DbHandle, redactUrl } from "../src/db.js";
import { migrate } from "../src/migrate/runner.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "../src/migrate/server.js";

export interface Scratch {
  url: string;
  handle: DbHandle;
  drop(): Promise<void>;
}

/** CREATE DATABASE netops_bench_<random> on the server of `adminUrl`, migrated to the latest schema. */
export async function createScratch(adminUrl: string): Promise<Scratch> {
  const name = `netops_bench_${randomBytes(4).toString("hex")}`;
  await maintenance(adminUrl, [createDatabaseSql(name)]);
  const url = withDatabase(adminUrl, name);
  console.log(`scratch database ${redactUrl(url)}`);
  const handle = await createDb({ url, max: 4 });
  await migrate(handle.db);
  return {
    url,
    handle,
    drop: async () => {
      await handle.close();
      await maintenance(adminUrl, [dropDatabaseSql(name)]);
    },
  };
}
