/** A throwaway database on the benchmark server: created, migrated, dropped at the end. */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type DbHandle, redactUrl } from "../src/db.js";
import { migrate } from "../src/migrate/runner.js";

export interface Scratch {
  url: string;
  handle: DbHandle;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** CREATE DATABASE netops_bench_<random> on the server of `adminUrl`, migrated to the latest schema. */
export async function createScratch(adminUrl: string): Promise<Scratch> {
  const name = `netops_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  console.log(`scratch database ${redactUrl(url)}`);
  const handle = await createDb({ url, max: 4 });
  await migrate(handle.db);
  return {
    url,
    handle,
    drop: async () => {
      await handle.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
