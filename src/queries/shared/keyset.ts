/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Callers pass it
 * back unchanged; the next page starts strictly after it (no OFFSET, so pages stay stable and cheap
 * however deep they go).
 */
import { ValidationError } from "../../errors/index.js";

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key inside a cursor, or a ValidationError naming `field` when it was not made by encodeCursor. */
export function decodeCursor(cursor: string, arity: number, field = "cursor"): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === "string" || typeof k === "number")
    ) {
      return key;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ path: field, message: "is not a cursor returned by a previous page" }]);
}

/** Split `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<T>(fetched: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = fetched.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: fetched.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
