/**
 * COPY ... FROM STDIN in PostgreSQL's text format: rows become tab-separated lines, streamed to the
 * server in chunks with back-pressure (postgres.js `.writable()`), so memory stays flat whatever the
 * number of rows. PGlite has no COPY FROM STDIN (the statement never completes there); it reads
 * COPY FROM '/dev/blob' instead, which needs the whole table in memory, so it is only offered for
 * small factors (see load.ts).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";

/** A value as COPY text reads it; objects are JSON (json/jsonb columns). */
export type CopyValue = string | number | boolean | null | undefined | Date | object;

/** Backslash, tab, newline and carriage return are the characters COPY text format escapes. */
function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      )
    : text;
}

export function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") return escapeText(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (value instanceof Date) return value.toISOString();
  return escapeText(JSON.stringify(value));
}

export const encodeRow = (row: readonly CopyValue[]) => `${row.map(encodeValue).join("\t")}\n`;

/** Rows grouped into chunks of about 64 kB of COPY text; `onRows` counts them as they leave. */
export async function* copyChunks(
  rows: Iterable<readonly CopyValue[]>,
  onRows: (n: number) => void,
): AsyncGenerator<string> {
  let chunk = "";
  let n = 0;
  for (const row of rows) {
    chunk += encodeRow(row);
    n += 1;
    if (chunk.length >= 65_536) {
      yield chunk;
      onRows(n);
      chunk = "";
      n = 0;
    }
  }
  if (n > 0) {
    yield chunk;
    onRows(n);
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const copyStatement = (table: string, columns: readonly string[], source: string) =>
  `COPY ${ident(table)} (${columns.map(ident).join(", ")}) FROM ${source}`;

/** Stream rows into `table` over a postgres.js connection (inside its transaction when `sql` is one). */
export async function copyIntoServer(
  sql: postgres.Sql | postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
  onRows: (n: number) => void,
): Promise<void> {
  const writable = await sql.unsafe(copyStatement(table, columns, "STDIN")).writable();
  await pipeline(Readable.from(copyChunks(rows, onRows)), writable);
}

/** The part of PGlite's API this module uses (a transaction of it). */
export interface PgliteCopyTarget {
  query(sql: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/** PGlite: the whole table as one blob, read by COPY FROM '/dev/blob'. */
export async function copyIntoPglite(
  tx: PgliteCopyTarget,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
  onRows: (n: number) => void,
): Promise<void> {
  const parts: string[] = [];
  let count = 0;
  for await (const chunk of copyChunks(rows, (n) => {
    count += n;
  }))
    parts.push(chunk);
  await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob(parts) });
  onRows(count);
}
