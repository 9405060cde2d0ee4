/**
 * The migration chain gate: drizzle/ must hold exactly one linear chain, or parallel branches have
 * been merged wrongly. drizzle-kit itself notices a forked snapshot chain but only prints an error
 * and exits 0 (and says nothing about journal entries without files), so this check reads the
 * folder itself: offline, in milliseconds, naming every file involved.
 *
 * A linear chain (drizzle-kit's default `index` prefix):
 *   - meta/_journal.json parses, and no file in the folder holds merge conflict markers;
 *   - entry i has idx i and a tag numbered i (`0005_name`), so no two migrations share a number;
 *   - every entry has its `<tag>.sql` and `meta/<NNNN>_snapshot.json`, and every migration file,
 *     companion file (`<tag>.down.sql`) and snapshot belongs to an entry;
 *   - snapshot 0's prevId is drizzle's origin id, snapshot i's prevId is snapshot i-1's id
 *     (no two snapshots with one parent);
 *   - the journal's `when` strictly increases: drizzle-orm's migrator (`drizzle-kit migrate`) skips
 *     a migration whose `when` is not after the last one a database recorded.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "../config.js";

/** prevId of the first snapshot drizzle-kit writes. */
export const ORIGIN_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Files that travel with a migration besides `<tag>.sql` and its snapshot, named `<tag><suffix>`.
 * Down migrations (`<tag>.down.sql`) are the only kind; anything that moves, renumbers or checks a
 * migration goes through migrationFiles() so a new kind needs one line here.
 */
export const COMPANION_SUFFIXES = [".down.sql"] as const;

export interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}

export interface Journal {
  version: string;
  dialect: string;
  entries: JournalEntry[];
}

/** `0005` of `0005_add_rack_unit`. */
export const tagNumber = (tag: string) => tag.split("_")[0] ?? tag;
/** `add_rack_unit` of `0005_add_rack_unit`. */
export const tagName = (tag: string) => tag.slice(tagNumber(tag).length + 1);
export const numberOf = (idx: number) => String(idx).padStart(4, "0");
/** The snapshot of a migration, relative to the migrations folder. */
export const snapshotPath = (tag: string) => `meta/${tagNumber(tag)}_snapshot.json`;
export const JOURNAL_PATH = "meta/_journal.json";

/** Every file of one migration, relative to the migrations folder; companions only if `has` them. */
export function migrationFiles(tag: string, has: (path: string) => boolean = () => true): string[] {
  const companions = COMPANION_SUFFIXES.map((s) => `${tag}${s}`).filter(has);
  return [`${tag}.sql`, snapshotPath(tag), ...companions];
}

const CONFLICT_MARKER = /^(?:<{7} |\|{7} |={7}$|>{7} )/m;
export const hasConflictMarkers = (text: string) => CONFLICT_MARKER.test(text);

export type ChainProblemKind =
  | "conflict-markers"
  | "journal"
  | "numbering"
  | "duplicate-number"
  | "missing-file"
  | "orphan-file"
  | "snapshot"
  | "fork"
  | "parent"
  | "when";

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The files involved, relative to the migrations folder. */
  files: string[];
  message: string;
}

export interface ChainReport {
  folder: string;
  /** Journal entries (empty when the journal cannot be read). */
  entries: JournalEntry[];
  problems: ChainProblem[];
}

interface SnapshotIds {
  id: unknown;
  prevId: unknown;
}

const listFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
        .sort()
    : [];

const companionOf = (file: string) => COMPANION_SUFFIXES.find((s) => file.endsWith(s));

export function checkChain(folder: string = MIGRATIONS_FOLDER): ChainReport {
  const problems: ChainProblem[] = [];
  const problem = (kind: ChainProblemKind, files: string[], message: string) =>
    problems.push({ kind, files, message });
  const top = listFiles(folder);
  const meta = listFiles(join(folder, "meta")).map((f) => `meta/${f}`);
  const texts = new Map<string, string>();
  for (const file of [...top, ...meta]) {
    if (!file.endsWith(".sql") && !file.endsWith(".json")) continue;
    const text = readFileSync(join(folder, file), "utf8");
    texts.set(file, text);
    if (hasConflictMarkers(text)) problem("conflict-markers", [file], `${file} holds merge conflict markers`);
  }

  let entries: JournalEntry[] = [];
  let journalRead = false;
  const journalText = texts.get(JOURNAL_PATH);
  if (journalText === undefined) problem("journal", [JOURNAL_PATH], `${JOURNAL_PATH} is missing`);
  else {
    try {
      const parsed = JSON.parse(journalText) as Partial<Journal>;
      if (!Array.isArray(parsed.entries)) throw new Error("no entries array");
      entries = parsed.entries;
      journalRead = true;
    } catch (error) {
      if (!hasConflictMarkers(journalText))
        problem("journal", [JOURNAL_PATH], `${JOURNAL_PATH} does not parse: ${(error as Error).message}`);
    }
  }

  // Numbering: position, idx and the tag's number agree; no number twice (journal or files).
  const byNumber = new Map<string, Set<string>>();
  const noteNumber = (tag: string) => {
    const n = tagNumber(tag);
    byNumber.set(n, (byNumber.get(n) ?? new Set()).add(tag));
  };
  entries.forEach((e, i) => {
    if (e.idx !== i || tagNumber(e.tag) !== numberOf(i)) {
      problem(
        "numbering",
        [JOURNAL_PATH],
        `journal entry #${i} is ${e.tag} with idx ${e.idx}: entries must be numbered 0, 1, 2, ... (expected idx ${i}, tag ${numberOf(i)}_...)`,
      );
    }
    const previous = entries[i - 1];
    if (previous && !(e.when > previous.when)) {
      problem(
        "when",
        [JOURNAL_PATH],
        `journal "when" of ${e.tag} (${e.when}) is not after ${previous.tag} (${previous.when}): drizzle-kit migrate would skip it on a database that ran ${previous.tag}`,
      );
    }
  });
  // Migrations = the .sql files there are (a journal tag without its file is reported below).
  for (const f of top) if (f.endsWith(".sql") && !companionOf(f)) noteNumber(f.slice(0, -".sql".length));
  for (const [n, tags] of byNumber) {
    if (tags.size > 1) {
      const list = [...tags].sort();
      problem(
        "duplicate-number",
        list.map((t) => `${t}.sql`),
        `two migrations numbered ${n}: ${list.join(", ")}`,
      );
    }
  }

  // Files: each entry has its own, each file belongs to an entry.
  const tags = new Set(entries.map((e) => e.tag));
  const present = new Set([...top, ...meta]);
  for (const e of entries) {
    for (const file of migrationFiles(e.tag, () => false)) {
      if (!present.has(file)) problem("missing-file", [file], `journal entry ${e.tag} has no ${file}`);
    }
  }
  // Without a readable journal every file would look orphaned: the journal problem says it all.
  if (journalRead) {
    const snapshotsOfEntries = new Set(entries.map((e) => snapshotPath(e.tag)));
    for (const f of top) {
      if (!f.endsWith(".sql")) continue;
      const suffix = companionOf(f);
      const tag = f.slice(0, -(suffix ?? ".sql").length);
      if (!tags.has(tag)) problem("orphan-file", [f], `${f} belongs to no journal entry`);
    }
    for (const f of meta) {
      if (f.endsWith("_snapshot.json") && !snapshotsOfEntries.has(f))
        problem("orphan-file", [f], `${f} belongs to no journal entry`);
    }
  }

  // Snapshots: every one in meta/ (orphans too, so a fork is seen even without a journal).
  const snapshots = new Map<string, SnapshotIds>();
  for (const f of meta) {
    if (!f.endsWith("_snapshot.json")) continue;
    const text = texts.get(f) ?? "";
    if (hasConflictMarkers(text)) continue;
    try {
      const s = JSON.parse(text) as SnapshotIds;
      if (typeof s.id !== "string" || typeof s.prevId !== "string") throw new Error("no id/prevId");
      snapshots.set(f, s);
    } catch (error) {
      problem("snapshot", [f], `${f} does not parse as a drizzle snapshot: ${(error as Error).message}`);
    }
  }
  const fileOfId = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const [f, s] of snapshots) {
    const other = fileOfId.get(s.id as string);
    if (other) problem("snapshot", [other, f], `${other} and ${f} have the same id ${s.id}`);
    fileOfId.set(s.id as string, f);
    children.set(s.prevId as string, [...(children.get(s.prevId as string) ?? []), f]);
  }
  for (const [parent, files] of children) {
    if (files.length < 2) continue;
    const parentName = parent === ORIGIN_ID ? "the origin" : (fileOfId.get(parent) ?? `unknown ${parent}`);
    problem(
      "fork",
      files,
      `${files.join(" and ")} have the same parent (${parentName}): two migrations were generated on top of the same one`,
    );
  }
  entries.forEach((e, i) => {
    const f = snapshotPath(e.tag);
    const s = snapshots.get(f);
    if (!s) return;
    const previous = i === 0 ? undefined : entries[i - 1];
    const expected = previous ? snapshots.get(snapshotPath(previous.tag))?.id : ORIGIN_ID;
    if (expected === undefined || s.prevId === expected) return;
    const parent = fileOfId.get(s.prevId as string) ?? "no snapshot here";
    problem(
      "parent",
      [f],
      `${f} (${e.tag}) follows ${parent} (prevId ${s.prevId}), not ${previous ? `${snapshotPath(previous.tag)} (${previous.tag})` : "the origin"}`,
    );
  });

  return { folder, entries, problems };
}

/** One line per problem, then what to do; for a CI log and a terminal alike. */
export function formatChainProblems(report: ChainReport, label = "drizzle"): string {
  const lines = report.problems.map((p) => `  ${p.kind.padEnd(16)} ${p.message}`);
  return [
    `the migration chain in ${label}/ is not one linear chain (${report.problems.length} problem(s)):`,
    ...lines,
    "Two branches added migrations in parallel. Merge (or rebase onto) the base branch, then run",
    "`npm run db:rebase` (`-- --onto <ref>` for a base other than origin/main): it keeps the base's",
    "migrations and regenerates this branch's on top of them. README: Working in parallel branches.",
  ].join("\n");
}
