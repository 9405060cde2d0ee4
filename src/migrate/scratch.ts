/**
 * The scratch database drift and baseline build their reference schema in, on the live server:
 * `netops_drift_<unix seconds>_<pid>_<random>`. It is dropped when the check ends, also on SIGINT
 * and SIGTERM; one left behind by a process killed outright (SIGKILL, a crash, a lost connection)
 * is dropped by the next run once it is more than an hour old. PostgreSQL keeps no creation time
 * for a database, so the time is in the name.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDb, rows } from "../db.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "./server.js";

const PREFIX = "netops_drift_";
const NAME = /^netops_drift_(\d{10})_(\d+)_[0-9a-f]{8}$/;
/** A scratch database older than this belongs to a run that is gone. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export function scratchDatabaseName(now = Date.now()): string {
  return `${PREFIX}${Math.floor(now / 1000)}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** When a scratch database name says it was created (ms), or null for any other name. */
export function scratchCreatedAt(name: string): number | null {
  const m = NAME.exec(name);
  return m ? Number(m[1]) * 1000 : null;
}

/** Drop this server's scratch databases created more than an hour ago; returns their names. */
export async function dropStaleScratchDatabases(url: string, now = Date.now()): Promise<string[]> {
  const admin = await createDb({ url, max: 1 });
  let names: string[];
  try {
    const found = await rows<{ datname: string }>(
      admin.db,
      sql`SELECT datname::text AS datname FROM pg_database WHERE datname LIKE ${`${PREFIX}%`}`,
    );
    names = found
      .map((d) => d.datname)
      .filter((name) => {
        const created = scratchCreatedAt(name);
        return created !== null && now - created > STALE_AFTER_MS;
      });
  } finally {
    await admin.close();
  }
  if (names.length > 0) await maintenance(url, names.map(dropDatabaseSql));
  return names;
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/**
 * Create `name` on the server of `url` (from template0), run `work` with its URL, drop it. A SIGINT
 * or SIGTERM meanwhile drops it first; then, if nothing else listens for that signal, the process
 * ends by it as it would have without this handler.
 */
export async function withScratchDatabase<T>(
  url: string,
  name: string,
  work: (scratchUrl: string) => Promise<T>,
): Promise<T> {
  // Handlers first: a signal that arrives while CREATE DATABASE runs must still drop what it creates.
  let created = false;
  const creating = maintenance(url, [createDatabaseSql(name, "template0")]).then(() => {
    created = true;
  });
  let dropping: Promise<void> | undefined;
  // After the creation settles; WITH (FORCE) ends the connections the interrupted work still holds.
  const drop = () => {
    dropping ??= creating.then(() => maintenance(url, [dropDatabaseSql(name)]));
    return dropping;
  };
  const detach = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void drop()
      .catch(() => {})
      .finally(() => {
        detach();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    await creating;
    return await work(withDatabase(url, name));
  } finally {
    try {
      if (created) await drop();
    } finally {
      detach();
    }
  }
}
