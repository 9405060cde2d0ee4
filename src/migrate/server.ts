/**
 * What reaches past one database: URL helpers and CREATE/DROP DATABASE for drift's scratch database,
 * reset, the benchmarks and the test harness.
 */
import { sql } from "drizzle-orm";
import { createDb } from "../db.js";

/** The same server URL pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database name in a postgres:// URL (empty when the URL names none). */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

/**
 * True for loopback hosts and Unix sockets (`?host=/var/run/postgresql`). Destructive development
 * commands refuse anything else unless forced.
 */
export function isLocalUrl(url: string): boolean {
  const u = new URL(url);
  const socket = u.searchParams.get("host");
  if (socket !== null) return socket.startsWith("/") || LOCAL_HOSTS.has(socket);
  return LOCAL_HOSTS.has(u.hostname) || u.hostname.endsWith(".localhost");
}

/** A double-quoted identifier for the few statements (CREATE/DROP DATABASE) that take no parameters. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const createDatabaseSql = (name: string, template?: string) =>
  `CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ""}`;

export const dropDatabaseSql = (name: string) => `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`;

/**
 * Run CREATE/DROP DATABASE statements, in order, over one short-lived connection to `url` (they
 * cannot run inside a transaction). Connection failures give createDb()'s one-line error.
 */
export async function maintenance(url: string, statements: string[]): Promise<void> {
  const handle = await createDb({ url, max: 1 });
  try {
    for (const statement of statements) await handle.db.execute(sql.raw(statement));
  } finally {
    await handle.close();
  }
}
