/**
 * Where each migration stands against drizzle's history table. drizzle stores no tag, only the
 * file's sha256 and the journal's `when` (as created_at), so a migration is:
 *   applied   its file hash is recorded;
 *   modified  no row has its hash, but a row has its `when` (the file was edited after it ran);
 *   pending   neither.
 * Rows matching no file by hash or `when` are "unknown": the database ran migrations this checkout
 * does not have (an older checkout, another branch).
 *
 * A run that failed part-way: each migration commits on its own (src/migrate/runner.ts), so the ones
 * before the failure show as applied and the failed one and those after it as pending. A failed
 * `-- migrate:no-transaction` migration may have left some of its statements applied; the INVALID
 * indexes it left are listed with it (`leftovers`), and db:migrate drops them before running it again.
 */
import { MIGRATIONS_FOLDER } from "../config.js";
import type { DbOrTx } from "../db.js";
import { EXIT, type ExitCode } from "../errors/exit-codes.js";
import { type DownState, readDown, readDownRecord } from "./downs.js";
import { type AppliedMigration, historyExists, readHistory } from "./history.js";
import { type MigrationFile, readJournal } from "./journal.js";
import { indexesCreatedConcurrently, invalidIndexes } from "./leftovers.js";
import { supersededNote } from "./superseded.js";

export type MigrationState = "applied" | "pending" | "modified";

export interface MigrationStatus {
  idx: number;
  tag: string;
  /** The journal's `when` (ms since epoch); drizzle records it as created_at. */
  when: number;
  path: string;
  state: MigrationState;
  /** sha256 of the file as it is now. */
  hash: string;
  /** The history row that matched (applied or modified). */
  historyId?: number;
  /** The hash the database recorded, when it differs (modified). */
  recordedHash?: string;
  /** Whether db:rollback can undo it (src/migrate/downs.ts); set by migrationStatus(). */
  down?: { state: DownState; reason?: string };
  /** First line `-- migrate:no-transaction`: applied alone, outside a transaction. */
  noTransaction: boolean;
  /** Pending no-transaction migration: INVALID indexes an earlier run of it left (schema.name). */
  leftovers?: string[];
}

export interface StatusReport {
  /** False when the database has no drizzle.__drizzle_migrations table yet. */
  historyExists: boolean;
  migrations: MigrationStatus[];
  unknown: AppliedMigration[];
}

/** Pure: classify journal files against history rows (see the module comment). */
export function classify(
  files: MigrationFile[],
  history: AppliedMigration[],
): Omit<StatusReport, "historyExists"> {
  const used = new Set<number>();
  const fileHashes = new Set(files.map((f) => f.hash));
  const migrations = files.map((file): MigrationStatus => {
    const base = {
      idx: file.idx,
      tag: file.tag,
      when: file.when,
      path: file.path,
      hash: file.hash,
      noTransaction: file.noTransaction,
    };
    const byHash = history.filter((h) => h.hash === file.hash);
    if (byHash.length > 0) {
      for (const h of byHash) used.add(h.id);
      return { ...base, state: "applied", historyId: byHash[0]!.id };
    }
    // A row with this file's `when` whose hash belongs to no file: this file, edited after it ran.
    const byWhen = history.find(
      (h) => h.createdAt === file.when && !fileHashes.has(h.hash) && !used.has(h.id),
    );
    if (byWhen) {
      used.add(byWhen.id);
      return { ...base, state: "modified", historyId: byWhen.id, recordedHash: byWhen.hash };
    }
    return { ...base, state: "pending" };
  });
  return { migrations, unknown: history.filter((h) => !used.has(h.id)) };
}

export async function migrationStatus(
  db: DbOrTx,
  options: { migrationsFolder?: string } = {},
): Promise<StatusReport> {
  const files = readJournal(options.migrationsFolder ?? MIGRATIONS_FOLDER);
  const exists = await historyExists(db);
  const history = exists ? await readHistory(db) : [];
  const report = { historyExists: exists, ...classify(files, history) };
  for (const m of report.migrations) {
    const file = files[m.idx];
    if (m.state !== "pending" || !file?.noTransaction) continue;
    const left = await invalidIndexes(db, indexesCreatedConcurrently(file.statements));
    if (left.length > 0) m.leftovers = left;
  }
  const record = readDownRecord(options.migrationsFolder ?? MIGRATIONS_FOLDER);
  for (const m of report.migrations) {
    const down = readDown(options.migrationsFolder ?? MIGRATIONS_FOLDER, m, record);
    m.down = { state: down.state, ...(down.reason ? { reason: down.reason } : {}) };
  }
  return report;
}

/** Most serious first: modified (4), unknown recorded (5), pending (3), else 0. */
export function statusExitCode(report: Omit<StatusReport, "historyExists">): ExitCode {
  if (report.migrations.some((m) => m.state === "modified")) return EXIT.modified;
  if (report.unknown.length > 0) return EXIT.unknownRecorded;
  if (report.migrations.some((m) => m.state === "pending")) return EXIT.pending;
  return EXIT.ok;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : "unknown");

/** `  rollback: yes` / `  rollback: no (...)` for an applied migration (db:rollback's view). */
function reversibility(m: MigrationStatus, all: MigrationStatus[]): string {
  if (!m.down) return "";
  if (m.idx === all[0]?.idx) return "  rollback: no (the first migration is never rolled back)";
  if (m.down.state === "reversible") return "  rollback: yes";
  if (m.down.state === "irreversible") return `  rollback: no (irreversible: ${m.down.reason})`;
  return `  rollback: no (down ${m.down.state})`;
}

/** Human-readable status, one line per migration. */
export function formatStatus(report: StatusReport): string {
  const lines: string[] = [];
  for (const m of report.migrations) {
    if (m.state === "applied")
      lines.push(`  applied   ${m.tag}  (journal when ${iso(m.when)})${reversibility(m, report.migrations)}`);
    else if (m.state === "pending") {
      const left = m.leftovers?.length
        ? `; stopped part-way before: INVALID index ${m.leftovers.join(", ")}, dropped and rebuilt by db:migrate`
        : "";
      lines.push(`  pending   ${m.tag}${m.noTransaction ? `  (no transaction${left})` : ""}`);
    } else {
      lines.push(
        `  MODIFIED  ${m.tag}  ${m.path} changed after it was applied ` +
          `(recorded sha256 ${m.recordedHash?.slice(0, 12)}..., file ${m.hash.slice(0, 12)}...)`,
      );
      const note = supersededNote(m.tag, m.recordedHash);
      if (note) lines.push(`            ${note}`);
    }
  }
  for (const u of report.unknown) {
    lines.push(
      `  UNKNOWN   history row ${u.id} (sha256 ${u.hash.slice(0, 12)}..., when ${iso(u.createdAt)}) has no migration file here`,
    );
  }
  const count = (s: MigrationState) => report.migrations.filter((m) => m.state === s).length;
  const summary = [
    `${count("applied")} applied`,
    `${count("pending")} pending`,
    `${count("modified")} modified`,
    `${report.unknown.length} unknown`,
  ].join(", ");
  const code = statusExitCode(report);
  const verdict =
    code === EXIT.ok
      ? "up to date"
      : code === EXIT.pending
        ? "migrations pending: run `npm run db:migrate` (each commits on its own: after a failed run, those before the failure are applied)"
        : code === EXIT.modified
          ? "an applied migration was edited: restore the file, or accept it with `npm run db:migrate -- --accept-modified <tag>`"
          : "the database ran migrations this checkout does not have: deploy the newer code";
  if (report.unknown.length > 0)
    lines.push("  hint: renumbered by `npm run db:rebase`? development database: `npm run db:reset`");
  if (!report.historyExists) lines.unshift("  (no migration history table yet)");
  return `${lines.join("\n")}\n${summary}: ${verdict}`;
}

/** `--json`: stable field names for deploy scripts. */
export function statusJson(report: StatusReport) {
  return {
    upToDate: statusExitCode(report) === EXIT.ok,
    exitCode: statusExitCode(report),
    historyExists: report.historyExists,
    migrations: report.migrations.map((m) => ({
      tag: m.tag,
      state: m.state,
      when: new Date(m.when).toISOString(),
      file: m.path,
      hash: m.hash,
      noTransaction: m.noTransaction,
      ...(m.recordedHash ? { recordedHash: m.recordedHash } : {}),
      ...(m.leftovers ? { leftovers: m.leftovers } : {}),
      ...(m.down ? { down: m.down.state, reversible: m.down.state === "reversible" && m.idx > 0 } : {}),
    })),
    unknown: report.unknown.map((u) => ({
      id: u.id,
      hash: u.hash,
      when: Number.isFinite(u.createdAt) ? new Date(u.createdAt).toISOString() : null,
    })),
  };
}
