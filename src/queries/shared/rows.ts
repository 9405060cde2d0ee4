/**
 * Reading the rows a statement returned without casts or `!`: drizzle types `returning()` and
 * `select()` as arrays, and a statement that must produce exactly one row (an INSERT, an UPDATE of
 * a row locked earlier in the same transaction) says so with `one()`.
 */

/** The single row of a statement that always returns one; an empty result is a bug, said loudly. */
export function one<T>(rows: readonly T[], what = "row"): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`expected one ${what}, the statement returned none`);
  return row;
}

/** The first row, or undefined when there is none (a lookup that may miss). */
export const takeFirst = <T>(rows: readonly T[]): T | undefined => rows[0];
