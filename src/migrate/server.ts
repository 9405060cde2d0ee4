/** URL helpers for commands that reach past one database: drift's scratch database, reset. */

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
