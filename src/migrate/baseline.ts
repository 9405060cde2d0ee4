import { MIGRATIONS_FOLDER } from "../config.js";
import type { Database } from "../db.js";
import { advisoryXactLock, LOCK_KEYS } from "../locks.js";
import {
  compareSchemas,
  type DriftItem,
  type ReferenceTarget,
  readSchema,
  referenceSchema,
} from "./drift.js";
import { ensureHistoryTable, readHistory, recordApplied } from "./history.js";
import { readJournal } from "./journal.js";
import { filesUpTo } from "./runner.js";

export interface BaselineOptions {
  migrationsFolder?: string;
  /** Record every migration up to and including this tag (default: the first in the journal). */
  to?: string;
  /** Scratch database name for the drift check's reference (server only). */
  scratchName?: string;
  log?: (line: string) => void;
}

export type BaselineResult =
  | { status: "baselined"; recorded: string[] }
  | { status: "drift"; drift: DriftItem[]; notes: string[] }
  | { status: "refused"; reason: string };

export async function baseline(
  live: Database,
  target: ReferenceTarget,
  options: BaselineOptions = {},
): Promise<BaselineResult> {
  const folder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  const all = readJournal(folder);
  const to = options.to ?? all[0]?.tag;
  if (!to) return { status: "refused", reason: "the journal lists no migrations" };
  const files = filesUpTo(all, to);
  const log = options.log ?? (() => {});

  const history = await readHistory(live);
  if (history.length > 0) {
    return {
      status: "refused",
      reason: `the database already records ${history.length} migration(s); it is under migration control (see db:status)`,
    };
  }
  const actual = await readSchema(live);
  if (!actual.objects.some((o) => o.kind === "table")) {
    return {
      status: "refused",
      reason: "the database has no tables: run db:migrate instead of baselining it",
    };
  }
  log(`comparing the live schema with the schema of migrations up to ${to}`);
  const expected = await referenceSchema(target, {
    migrationsFolder: folder,
    to,
    log,
    ...(options.scratchName ? { scratchName: options.scratchName } : {}),
  });
  const { items: drift, notes } = compareSchemas(expected, actual);
  if (drift.length > 0) return { status: "drift", drift, notes };
  for (const note of notes) log(`note: ${note}`);

  return live.transaction(async (tx) => {
    await advisoryXactLock(tx, LOCK_KEYS.migration);
    // Re-check under the lock: a migrate may have started meanwhile.
    if ((await readHistory(tx)).length > 0) {
      return {
        status: "refused",
        reason: "another run recorded migrations while baseline was checking",
      } as const;
    }
    await ensureHistoryTable(tx);
    for (const file of files) {
      await recordApplied(tx, file.hash, file.when);
      log(`recorded ${file.tag} as applied (not run)`);
    }
    return { status: "baselined", recorded: files.map((f) => f.tag) } as const;
  });
}
