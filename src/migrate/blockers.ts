/** What blocks a migration, as pg_stat_activity shows it, and how it is printed (one line each). */

/** A session that blocks the migration, as pg_stat_activity shows it. */
export interface Blocker {
  pid: number;
  applicationName: string;
  /** active, idle in transaction, ... */
  state: string;
  /** The start of its current (or last) query, on one line. */
  query: string;
  /** What the migration waits for: the relation (or lock type) of its ungranted lock. */
  waitingFor: string;
}

export const formatBlocker = (b: Blocker) =>
  `pid ${b.pid} (application_name ${JSON.stringify(b.applicationName)}, ${b.state}, query: ${b.query})` +
  (b.waitingFor ? ` holding a lock on ${b.waitingFor}` : "");

/** A statement on one line, cut at `max` characters. */
export const oneLine = (text: string, max = 100) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
};
