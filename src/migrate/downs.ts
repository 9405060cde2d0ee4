/**
 * Down migrations: `drizzle/<tag>.down.sql` beside `drizzle/<tag>.sql` holds the SQL that takes
 * the schema after <tag> back to the schema before it. Generated ones come from drizzle-kit's own
 * snapshots with the two sides swapped (scripts/lib/downs.ts); custom migrations get a hand-written
 * one. A down whose first line is `-- irreversible: <why>` says the migration cannot be undone, and
 * db:rollback refuses it with that reason.
 *
 * Review record (`drizzle/meta/_downs.json`, committed): for each tag, the sha256 of its up file and
 * of its down file when the down was recorded (db:generate records new downs; an edited one only
 * with `--accept-down <tag>`, so the change shows in the diff under review). db:rollback refuses a
 * down whose hash is not the recorded one, and CI (migrations:check) fails on it. Why a committed
 * file and not a column in the history table: drizzle.__drizzle_migrations keeps exactly drizzle's
 * format (drizzle-kit migrate writes it too and knows nothing of downs), and 0000-0006 were applied
 * everywhere before their downs existed, so no database could have recorded them. The up's hash is
 * kept so that a regenerated up with an old down is caught ("stale").
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BREAKPOINT, isNoTransaction, type MigrationFile, sha256 } from "./journal.js";

export const DOWN_SUFFIX = ".down.sql";
/** Relative to the migrations folder. */
export const DOWN_RECORD_PATH = "meta/_downs.json";
const IRREVERSIBLE = /^--\s*irreversible:(.*)$/;
/** First line of a down that still has to be written (db:generate's template for custom migrations). */
export const DOWN_TODO_MARKER = "-- TODO down:";

export const downPath = (folder: string, tag: string) => join(folder, `${tag}${DOWN_SUFFIX}`);

/**
 * What a down file says, judged against the review record:
 *   reversible    statements that undo the migration, recorded as reviewed;
 *   irreversible  first line `-- irreversible: <why>`, recorded;
 *   missing       no file;
 *   unwritten     db:generate's template, or no statement and no marker;
 *   unrecorded    no entry in meta/_downs.json (written, never recorded);
 *   edited        the file's hash is not the recorded one (changed after review);
 *   stale         the up file changed since its down was recorded (regenerate or review the down).
 * A down whose first line is `-- migrate:no-transaction` (DROP INDEX CONCURRENTLY, the down of a
 * CONCURRENTLY migration) is reversible but runs alone, outside a transaction (noTransaction).
 */
export type DownState =
  | "reversible"
  | "irreversible"
  | "missing"
  | "unwritten"
  | "unrecorded"
  | "edited"
  | "stale";

export interface DownFile {
  tag: string;
  path: string;
  state: DownState;
  /** sha256 of the down file (absent when missing). */
  hash?: string;
  /** The irreversible reason, or what is wrong (every state but reversible). */
  reason?: string;
  /** The file's chunks between statement breakpoints (reversible only); rollback parses each. */
  chunks: string[];
  /** First line `-- migrate:no-transaction`: rolled back alone, statement by statement. */
  noTransaction: boolean;
}

export interface DownRecordEntry {
  /** sha256 of `<tag>.sql` when the down was recorded. */
  up: string;
  /** sha256 of `<tag>.down.sql` as reviewed. */
  down: string;
}
export type DownRecord = Record<string, DownRecordEntry>;

export function readDownRecord(folder: string): DownRecord {
  const path = join(folder, DOWN_RECORD_PATH);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DownRecord;
  } catch (error) {
    throw new Error(`Cannot read the down record ${path}: ${(error as Error).message}`);
  }
}

/** Written sorted by tag, one entry per line group, so two branches' additions merge as text where possible. */
export function writeDownRecord(folder: string, record: DownRecord): void {
  const sorted: DownRecord = {};
  for (const tag of Object.keys(record).sort()) sorted[tag] = record[tag]!;
  writeFileSync(join(folder, DOWN_RECORD_PATH), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** The irreversible reason when the first line is the marker, else null. */
export function irreversibleReason(text: string): string | null {
  const match = IRREVERSIBLE.exec((text.split("\n", 1)[0] ?? "").trimEnd());
  if (!match) return null;
  return match[1]!.trim() || "(no reason given)";
}

/** Chunks with something besides comments and whitespace. */
function chunksOf(text: string): string[] {
  return text
    .split(BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, "").trim().length > 0);
}

/** Read and judge the down of one migration (see DownState). */
export function readDown(
  folder: string,
  up: Pick<MigrationFile, "tag" | "hash">,
  record: DownRecord,
): DownFile {
  const path = downPath(folder, up.tag);
  if (!existsSync(path)) {
    return {
      tag: up.tag,
      path,
      state: "missing",
      reason: `${path} does not exist`,
      chunks: [],
      noTransaction: false,
    };
  }
  const text = readFileSync(path, "utf8");
  const hash = sha256(text);
  const base = { tag: up.tag, path, hash, chunks: [] as string[], noTransaction: isNoTransaction(text) };
  const entry = record[up.tag];
  const reason = irreversibleReason(text);
  if (reason === null) {
    if (text.startsWith(DOWN_TODO_MARKER) || chunksOf(text).length === 0)
      return {
        ...base,
        state: "unwritten",
        reason: `${path} holds no SQL yet: write the down, or mark it irreversible`,
      };
  }
  if (!entry)
    return {
      ...base,
      state: "unrecorded",
      reason: `${path} is not recorded in ${DOWN_RECORD_PATH}: review it, then run \`npm run db:generate\``,
    };
  if (entry.down !== hash)
    return {
      ...base,
      state: "edited",
      reason: `${path} changed after it was recorded (recorded sha256 ${entry.down.slice(0, 12)}..., file ${hash.slice(0, 12)}...): restore it, or record the change with \`npm run db:generate -- --accept-down ${up.tag}\``,
    };
  if (entry.up !== up.hash)
    return {
      ...base,
      state: "stale",
      reason: `${up.tag}.sql changed after its down was recorded: regenerate the down (delete it and run \`npm run db:generate\`) or review it and \`--accept-down ${up.tag}\``,
    };
  if (reason !== null) return { ...base, state: "irreversible", reason };
  return { ...base, state: "reversible", chunks: chunksOf(text) };
}

/** True when the down is in a state CI accepts (reviewed: reversible, or marked irreversible). */
export const downAccepted = (d: DownFile) => d.state === "reversible" || d.state === "irreversible";
