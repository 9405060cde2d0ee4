/**
 * The committed migrations as drizzle-kit wrote them: `meta/_journal.json` lists them in order,
 * each `<tag>.sql` is split on drizzle's breakpoint marker, and the hash is sha256 of the whole
 * file, exactly as drizzle-orm's readMigrationFiles() computes it, so history rows written by
 * `drizzle-kit migrate` and by this project's runner are interchangeable.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "../config.js";

export interface MigrationFile {
  /** Position in the journal (0-based). */
  idx: number;
  /** File name without `.sql`, e.g. `0000_initial_schema`. */
  tag: string;
  /** The journal's `when` (ms); drizzle stores it as created_at. */
  when: number;
  /** sha256 hex of the file contents. */
  hash: string;
  statements: string[];
  path: string;
  /** First line is `-- migrate:no-transaction`: the runner applies it alone, outside any transaction. */
  noTransaction: boolean;
}

interface Journal {
  entries: { idx: number; when: number; tag: string; breakpoints: boolean }[];
}

export const BREAKPOINT = "--> statement-breakpoint";

/**
 * First line of a migration that must not run in a transaction (`CREATE INDEX CONCURRENTLY`, ...).
 * Exact, trailing blanks (and a CR) ignored. The runner, db:status, the guard and drizzle.config.ts
 * all decide through isNoTransaction().
 */
export const NO_TRANSACTION_MARKER = "-- migrate:no-transaction";

export const isNoTransaction = (text: string) =>
  (text.split("\n", 1)[0] ?? "").trimEnd() === NO_TRANSACTION_MARKER;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function readJournal(folder: string = MIGRATIONS_FOLDER): MigrationFile[] {
  const journalPath = join(folder, "meta", "_journal.json");
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  } catch (error) {
    throw new Error(`Cannot read the migration journal ${journalPath}: ${(error as Error).message}`);
  }
  const entries: unknown = (journal as Partial<Journal> | null)?.entries;
  if (!Array.isArray(entries) || entries.some((e) => typeof (e as { tag?: unknown })?.tag !== "string")) {
    throw new Error(
      `The migration journal ${journalPath} has no "entries" list of { idx, when, tag } (not written by drizzle-kit?)`,
    );
  }
  return journal.entries.map((entry, idx) => {
    const path = join(folder, `${entry.tag}.sql`);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new Error(`The journal lists ${entry.tag} but ${path} does not exist`);
    }
    return {
      idx,
      tag: entry.tag,
      when: entry.when,
      hash: sha256(text),
      statements: text
        .split(BREAKPOINT)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
      path,
      noTransaction: isNoTransaction(text),
    };
  });
}
