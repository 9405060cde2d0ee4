/**
 * The one place that remembers a committed migration file's earlier contents (by sha256), why it
 * was rewritten, and what a database that ran the earlier file should do. Such a database shows the
 * migration as "modified" (exit 4); status and migrate then add this note instead of leaving the
 * operator to guess.
 *
 * 0000_initial_schema was rewritten to produce exactly what the data-model document's DDL produces
 * (issue 12): no CHECK on the three value lists the document leaves open ("etc."; closed by 0005 +
 * 0006 instead), and `DEFAULT 0` on the DECIMAL columns (stored as `0`, not `'0'::numeric`). Only
 * development and test databases ran the earlier file: production is adopted by `db:baseline`.
 */
import { sha256 } from "./journal.js";

export interface SupersededFile {
  tag: string;
  /** sha256 of the file that replaced it: the guard accepts exactly this rewrite, no later edit. */
  replacedBy: string;
  reason: string;
  action: string;
}

const SUPERSEDED: Record<string, SupersededFile> = {
  bc19b7334af52be03d13bd3aa4349aa5de07983642d00cd8facc628e7556f463: {
    tag: "0000_initial_schema",
    replacedBy: "297021e20caba34546fab5046bbfbdda4863a8e8478368954b3d57273fa5fe47",
    reason: "built by an earlier 0000 (before it matched the documented DDL)",
    action: "development database -> npm run db:reset",
  },
};

/** "built by an earlier 0000 (...): development database -> npm run db:reset", or undefined. */
export function supersededNote(tag: string, recordedHash: string | undefined): string | undefined {
  const known = recordedHash === undefined ? undefined : SUPERSEDED[recordedHash];
  return known && known.tag === tag ? `${known.reason}: ${known.action}` : undefined;
}

/**
 * For the migrations guard: `sql` is the recorded rewrite of `baseSql` (a file on the base branch),
 * not an accidental edit.
 */
export function isRecordedRewrite(tag: string, baseSql: string, sql: string): boolean {
  const known = SUPERSEDED[sha256(baseSql)];
  return known !== undefined && known.tag === tag && known.replacedBy === sha256(sql);
}
