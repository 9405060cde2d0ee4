/**
 * A migration file read by PostgreSQL's own parser (libpg-query: the server's grammar compiled to
 * WebAssembly), for the guard's rules: every statement as a parse tree with its line and text, and
 * every comment with where it stands (the acknowledgements are comments). libpg-query reports
 * positions as UTF-8 byte offsets, so the text is sliced as bytes, never as JS string indexes.
 */

import { loadModule, type Node, parseSync, scanSync } from "libpg-query";
import { SqlSyntaxError } from "../errors/operational.js";

export interface SqlStatement {
  node: Node;
  /** 1-based line of the statement's first token. */
  line: number;
  /** The statement as written (without its semicolon). */
  text: string;
}

export interface SqlComment {
  /** The comment's text, `--` or `/*` included. */
  text: string;
  line: number;
  /** True when nothing but whitespace precedes it on its line. */
  ownLine: boolean;
  /** Where it stands: before statement i (in the gap after statement i-1), inside one, or after the last. */
  place: { before: number } | { inside: number } | "trailing";
}

export interface ParsedSql {
  statements: SqlStatement[];
  comments: SqlComment[];
}

let loaded: Promise<void> | undefined;
/** The WebAssembly module loads once per process (from the package's own .wasm file, no download). */
export const loadParser = (): Promise<void> => {
  loaded ??= loadModule();
  return loaded;
};

/** Byte offset -> 1-based line, over the UTF-8 bytes. */
function lineIndex(bytes: Buffer): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Parse one migration file. Call (and await) `loadParser()` once before. Throws SqlSyntaxError. */
export function parseSql(text: string): ParsedSql {
  const bytes = Buffer.from(text, "utf8");
  const lineOf = lineIndex(bytes);
  const slice = (start: number, end: number) => bytes.subarray(start, end).toString("utf8");

  let raw: ReturnType<typeof parseSync>;
  let tokens: ReturnType<typeof scanSync>["tokens"];
  try {
    raw = parseSync(text);
    tokens = scanSync(text).tokens;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const line = details?.cursorPosition === undefined ? 0 : lineOf(details.cursorPosition);
    throw new SqlSyntaxError((error as Error).message, line);
  }

  const isComment = (name: string) => name === "SQL_COMMENT" || name === "C_COMMENT";
  const code = tokens.filter((t) => !isComment(t.tokenName) && t.text !== ";");
  // A statement spans from its first token to the end of its last token (comments that follow it up
  // to the next statement are in the gap, not in the statement).
  const spans = (raw.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const limit = s.stmt_len ? start + s.stmt_len : bytes.length;
    const inside = code.filter((t) => t.start >= start && t.end <= limit);
    return { node: s.stmt!, start, end: inside.length > 0 ? inside[inside.length - 1]!.end : limit };
  });

  const comments: SqlComment[] = tokens
    .filter((t) => isComment(t.tokenName))
    .map((t) => {
      const lineStart = t.start === 0 ? 0 : bytes.lastIndexOf(0x0a, t.start - 1) + 1;
      const ownLine = slice(lineStart, t.start).trim() === "";
      const inside = spans.findIndex((s) => t.start >= s.start && t.end <= s.end);
      const before = spans.findIndex((s) => s.start >= t.end);
      const place = inside >= 0 ? { inside } : before >= 0 ? { before } : ("trailing" as const);
      return { text: slice(t.start, t.end), line: lineOf(t.start), ownLine, place };
    });

  const statements = spans.map((s) => ({ node: s.node, line: lineOf(s.start), text: slice(s.start, s.end) }));
  return { statements, comments };
}
