/**
 * What reaches past one database: URL helpers and CREATE/DROP DATABASE for drift's scratch database,
 * reset, the benchmarks and the test harness.
 */
import { isIP } from "node:net";
import { sql } from "drizzle-orm";
import postgres from "postgres";
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

/**
 * Where postgres.js will connect for `url`, decided by postgres.js itself (its option parsing, no
 * connection is opened): every host of a multi-host URL; PGHOST / PGPORT when the URL names no host
 * (`postgres:///appdb`); a Unix socket path when the host is a directory (PGHOST=/var/run/postgresql).
 * A `?host=` query parameter is NOT a socket for postgres.js (it is sent to the server as a setting),
 * and a bracketed IPv6 literal comes out as "[" (3.4.9 splits hosts on ':'), so neither is local.
 */
export function connectionTargets(url: string): { sockets: string[]; hosts: string[] } {
  let options: { host: string[]; path: string | false };
  try {
    const client = postgres(url, { max: 1, onnotice: () => {} });
    options = client.options as unknown as { host: string[]; path: string | false };
    void client.end();
  } catch {
    return { sockets: [], hosts: [] };
  }
  return options.path ? { sockets: [options.path], hosts: [] } : { sockets: [], hosts: options.host };
}

/** Loopback only: `localhost` itself (not `*.localhost`), 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.split(".")[0] === "127";
  if (isIP(host) === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
    if (mapped) return isLoopbackHost(mapped[1] as string);
    return /^(0{0,4}:){2,7}0{0,3}1$/.test(host) || host === "::1";
  }
  return false;
}

/**
 * True when every place postgres.js would connect to for `url` is a loopback address, `localhost`
 * or a Unix socket (connectionTargets). Destructive development commands refuse anything else
 * unless forced: a remote host, one of several hosts, a name like prod-db.localhost, an unparseable URL.
 */
export function isLocalUrl(url: string): boolean {
  const { sockets, hosts } = connectionTargets(url);
  if (sockets.length > 0) return true;
  return hosts.length > 0 && hosts.every(isLoopbackHost);
}

/** The targets as one phrase for messages: `db.prod.example, 127.0.0.1` or `socket /var/run/...`. */
export function describeTargets(url: string): string {
  const { sockets, hosts } = connectionTargets(url);
  if (sockets.length > 0) return `socket ${sockets.join(", ")}`;
  return hosts.length > 0 ? hosts.join(", ") : "an unparseable URL";
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
