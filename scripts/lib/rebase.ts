/**
 * `npm run db:rebase`: after a branch has merged (or rebased onto) its base branch, rebuild
 * drizzle/ as the base's migrations exactly, followed by the branch's own, renumbered, in their
 * original order and with their original names.
 *
 * The branch's own migrations are those of HEAD, of MERGE_HEAD / REBASE_HEAD / CHERRY_PICK_HEAD
 * while one is in progress, and of the working tree when its journal reads (it does not while it
 * holds conflict markers), minus those on the base (same SQL hash or same snapshot id). The same
 * name on two sides is one migration.
 *
 * How each comes back:
 *   custom (its snapshot describes the same schema as its parent's: hand-written SQL, triggers,
 *     backfills): `drizzle-kit generate --custom --name <name>`, then its SQL byte for byte;
 *   generated, the branch's last: `drizzle-kit generate --name <name>` from the schema code (the
 *     merged code is the union of base and branch, so this is exactly the branch's change; a rename
 *     prompts on a terminal as it did the first time);
 *   generated, earlier ones: the schema code of those intermediate states no longer exists, so the
 *     migration's snapshot change is replayed on the new base and drizzle-kit's differ writes its
 *     SQL (scripts/lib/replay.ts). Keeping each migration (rather than one regenerated union) keeps
 *     a custom backfill between two generated migrations where it was.
 * A generated migration that comes out empty (the base already makes the change) is dropped.
 * Companion files (`<tag>.down.sql`) are carried along with their migration, byte for byte.
 *
 * Safety: nothing is written until every check passed; the previous drizzle/ is copied first and put
 * back on any failure; a branch migration whose hash a shared (non-local) database has recorded is
 * a refusal. Success = the chain check passes and drizzle-kit generate reports no schema changes.
 */

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { EMBEDDED_DATA_DIR, MIGRATIONS_FOLDER } from "../../src/config.js";
import { RebaseFailedError, RebaseRefusedError, RebaseUsageError } from "../../src/errors/operational.js";
import {
  COMPANION_SUFFIXES,
  checkChain,
  formatChainProblems,
  hasConflictMarkers,
  JOURNAL_PATH,
  type Journal,
  numberOf,
  snapshotPath,
  tagName,
} from "../../src/migrate/chain.js";
import {
  DOWN_RECORD_PATH,
  DOWN_SUFFIX,
  type DownRecord,
  type DownRecordEntry,
  readDownRecord,
  writeDownRecord,
} from "../../src/migrate/downs.js";
import { BREAKPOINT, sha256 } from "../../src/migrate/journal.js";
import {
  drizzleKitGenerate,
  type GenerateOutcome,
  interactive,
  pendingSchemaChanges,
} from "./drizzle-kit.js";
import { Git, gitRoot } from "./git.js";
import { applyChanges, generateSql, type Snapshot, sameSchema, snapshotChanges } from "./replay.js";

/** One migration as one side (a commit or the working tree) has it. */
export interface MigrationVersion {
  tag: string;
  name: string;
  when: number;
  breakpoints: boolean;
  sql: Buffer;
  hash: string;
  snapshot: Snapshot;
  /** The snapshot before it on that side (by prevId, else the previous journal entry's). */
  parent: Snapshot | null;
  /** Hand-written: its snapshot describes the same schema as its parent's. */
  custom: boolean;
  /** Companion files by suffix (`.down.sql`). */
  companions: Map<string, Buffer>;
  /** "HEAD", "MERGE_HEAD", "working tree"... */
  side: string;
  /** The commit it was read from (null: working tree). */
  rev: string | null;
}

interface Side {
  label: string;
  rev: string | null;
  migrations: MigrationVersion[];
  /** meta/_downs.json on that side (empty when absent or unreadable, e.g. conflict markers). */
  downRecord: DownRecord;
  /** Every path of the migrations folder on that side, relative to it. */
  files: string[];
  read(path: string): Buffer;
}

export interface RenumberedMigration {
  from: MigrationVersion;
  /** New tag; null = dropped (the base already makes that change). */
  to: string | null;
  how: "custom" | "generated" | "replayed";
  /** The SQL written equals the branch's byte for byte. */
  identical: boolean;
}

export interface RebaseResult {
  base: { ref: string; sha: string };
  baseCount: number;
  renumbered: RenumberedMigration[];
  /** Databases that already ran a branch migration (local ones only; shared ones refuse). */
  appliedIn: { target: string; tags: string[] } | null;
  /** Where the previous drizzle/ was kept (only when something deserves a second look). */
  backup: string | null;
  /** The schema code still has changes no migration covers (when none of the branch's is generated). */
  pending: string | null;
  dryRun: boolean;
  /** drizzle/ already is the base's chain followed by the branch's: nothing was written. */
  upToDate: boolean;
}

export interface RebaseOptions {
  cwd: string;
  /** Base ref; default origin/main, else main (not under CI=true). */
  onto?: string | undefined;
  dryRun?: boolean;
  log?: (line: string) => void;
}

const ignore = () => {};

function resolveBase(git: Git, onto: string | undefined, log: (line: string) => void) {
  if (onto) {
    const sha = git.commit(onto);
    if (!sha) throw new RebaseUsageError(`--onto ${onto} does not name a commit`);
    return { ref: onto, sha };
  }
  const origin = git.commit("origin/main");
  if (origin) return { ref: "origin/main", sha: origin };
  if (process.env.CI === "true") {
    throw new RebaseUsageError(
      "origin/main does not exist here (CI=true: no fallback to a local branch); fetch it or pass --onto <ref>",
    );
  }
  const main = git.commit("main");
  if (!main) throw new RebaseUsageError("neither origin/main nor main exists: pass --onto <ref>");
  log("note: no origin/main here; rebasing onto the local main branch");
  return { ref: "main", sha: main };
}

function parseJson<T>(bytes: Buffer, what: string): T {
  const text = bytes.toString("utf8");
  if (hasConflictMarkers(text)) throw new Error(`${what} holds merge conflict markers`);
  return JSON.parse(text) as T;
}

/** The migrations of one side, in journal order; throws when its folder is not readable. */
function readSide(label: string, rev: string | null, files: string[], read: (path: string) => Buffer): Side {
  const has = new Set(files);
  const journal = parseJson<Journal>(read(JOURNAL_PATH), JOURNAL_PATH);
  const byId = new Map<string, Snapshot>();
  for (const f of files) {
    if (!f.startsWith("meta/") || !f.endsWith("_snapshot.json")) continue;
    try {
      const s = parseJson<Snapshot>(read(f), f);
      byId.set(s.id, s);
    } catch {
      // A broken snapshot that no entry uses does not matter; one an entry uses fails below.
    }
  }
  const migrations: MigrationVersion[] = [];
  for (const entry of journal.entries) {
    if (!has.has(`${entry.tag}.sql`)) throw new Error(`${entry.tag}.sql is missing`);
    const sql = read(`${entry.tag}.sql`);
    const snapshot = parseJson<Snapshot>(read(snapshotPath(entry.tag)), snapshotPath(entry.tag));
    const parent = byId.get(snapshot.prevId) ?? migrations.at(-1)?.snapshot ?? null;
    const companions = new Map<string, Buffer>();
    for (const suffix of COMPANION_SUFFIXES) {
      if (has.has(`${entry.tag}${suffix}`)) companions.set(suffix, read(`${entry.tag}${suffix}`));
    }
    migrations.push({
      tag: entry.tag,
      name: tagName(entry.tag),
      when: entry.when,
      breakpoints: entry.breakpoints,
      sql,
      hash: sha256(sql.toString("utf8")),
      snapshot,
      parent,
      custom: parent !== null && sameSchema(parent, snapshot),
      companions,
      side: label,
      rev,
    });
  }
  let downRecord: DownRecord = {};
  if (has.has(DOWN_RECORD_PATH)) {
    try {
      downRecord = parseJson<DownRecord>(read(DOWN_RECORD_PATH), DOWN_RECORD_PATH);
    } catch {
      // Conflict markers while a merge is in progress: the commits' records are read instead.
    }
  }
  return { label, rev, migrations, files, read, downRecord };
}

/**
 * The review record of the downs carried to their new tags: an entry moves when its down hash is
 * the carried file's (from any side that recorded it). The up hash moves with it when the SQL came
 * out byte-identical; otherwise the old one stays, so the down shows as stale until reviewed.
 */
function carryDownRecord(folder: string, sides: Side[], carried: RenumberedMigration[]): void {
  const byDownHash = new Map<string, DownRecordEntry>();
  for (const side of sides)
    for (const entry of Object.values(side.downRecord)) byDownHash.set(entry.down, entry);
  const record = readDownRecord(folder);
  for (const r of carried) {
    const down = r.from.companions.get(DOWN_SUFFIX);
    if (r.to === null || down === undefined) continue;
    const entry = byDownHash.get(sha256(down.toString("utf8")));
    if (!entry) continue;
    record[r.to] = { up: r.identical ? r.from.hash : entry.up, down: entry.down };
  }
  writeDownRecord(folder, record);
}

function commitSide(git: Git, label: string, rev: string, repoDir: string): Side {
  const prefix = `${repoDir}/`;
  const files = git.listFiles(rev, repoDir).map((p) => p.slice(prefix.length));
  return readSide(label, rev, files, (path) => git.show(rev, prefix + path));
}

function listTree(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listTree(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

function workingTreeSide(folder: string): Side {
  return readSide("working tree", null, listTree(folder), (path) => readFileSync(join(folder, path)));
}

/**
 * The branch's migrations, one per name, ordered so that every side's journal order is kept
 * (earliest `when` first among the ones free to go next).
 */
export function branchMigrations(base: Side, sides: Side[]): { plan: MigrationVersion[]; notes: string[] } {
  const notes: string[] = [];
  const baseHashes = new Set(base.migrations.map((m) => m.hash));
  const baseIds = new Set(base.migrations.map((m) => m.snapshot.id));
  const chosen = new Map<string, MigrationVersion>();
  const sequences: string[][] = [];
  for (const side of sides) {
    const sequence: string[] = [];
    const seen = new Set<string>();
    for (const m of side.migrations) {
      if (baseHashes.has(m.hash) || baseIds.has(m.snapshot.id)) continue;
      let key = m.name;
      for (let n = 2; seen.has(key); n++) key = `${m.name}#${n}`;
      seen.add(key);
      sequence.push(key);
      const earlier = chosen.get(key);
      if (!earlier) chosen.set(key, m);
      else if (earlier.hash !== m.hash && earlier.custom) {
        notes.push(`${m.name}: ${earlier.side} and ${side.label} differ; using ${earlier.side}'s`);
      }
    }
    sequences.push(sequence);
  }
  // Kahn's algorithm over "comes after" edges of every side's sequence.
  const after = new Map<string, Set<string>>();
  const indegree = new Map<string, number>([...chosen.keys()].map((k) => [k, 0]));
  for (const sequence of sequences) {
    for (let i = 1; i < sequence.length; i++) {
      const [a, b] = [sequence[i - 1]!, sequence[i]!];
      const next = after.get(a) ?? new Set();
      if (!next.has(b)) {
        next.add(b);
        after.set(a, next);
        indegree.set(b, (indegree.get(b) ?? 0) + 1);
      }
    }
  }
  const keys = [...chosen.keys()];
  const plan: MigrationVersion[] = [];
  const ready = keys.filter((k) => indegree.get(k) === 0);
  while (ready.length > 0) {
    ready.sort((a, b) => chosen.get(a)!.when - chosen.get(b)!.when || keys.indexOf(a) - keys.indexOf(b));
    const key = ready.shift()!;
    plan.push(chosen.get(key)!);
    for (const b of after.get(key) ?? []) {
      indegree.set(b, indegree.get(b)! - 1);
      if (indegree.get(b) === 0) ready.push(b);
    }
  }
  if (plan.length < keys.length) {
    notes.push(
      "the sides disagree on the order of the branch's migrations; ordered by when they were generated",
    );
    return { plan: [...chosen.values()].sort((a, b) => a.when - b.when), notes };
  }
  return { plan, notes };
}

/** The working tree already holds the base's migrations, then the branch's in plan order. */
function alreadyRebased(tree: Side, base: Side, plan: MigrationVersion[]): boolean {
  const expected = [...base.migrations, ...plan];
  return (
    tree.migrations.length === expected.length &&
    tree.migrations.every((m, i) => {
      const e = expected[i]!;
      const sameMigration = m.hash === e.hash && m.snapshot.id === e.snapshot.id;
      return i < base.migrations.length ? sameMigration && m.tag === e.tag : sameMigration;
    })
  );
}

/** History hashes of the database this checkout points at (DATABASE_URL, else the embedded one). */
async function recordedHashes(
  log: (line: string) => void,
): Promise<{ target: string; shared: boolean; hashes: Set<string> } | null> {
  const url = process.env.DATABASE_URL?.trim() || undefined;
  // PG_VERSION: drizzle.config.ts creates the (empty) directory on every drizzle-kit run.
  if (!url && !existsSync(join(EMBEDDED_DATA_DIR, "PG_VERSION"))) {
    log("database: no DATABASE_URL and no embedded database here; nothing to check");
    return null;
  }
  // Imported here: they load the schema code, which must not have to parse for db:rebase to refuse.
  const { createDb } = await import("../../src/db.js");
  const { readHistory } = await import("../../src/migrate/history.js");
  const { isLocalUrl } = await import("../../src/migrate/server.js");
  let handle: Awaited<ReturnType<typeof createDb>>;
  try {
    handle = await createDb(url ? { url, max: 1 } : { dataDir: EMBEDDED_DATA_DIR });
  } catch (error) {
    log(
      `database: cannot check whether it ran this branch's migrations (${(error as Error).message}); continuing`,
    );
    return null;
  }
  try {
    const history = await readHistory(handle.db);
    return {
      target: handle.target,
      shared: url !== undefined && !isLocalUrl(url),
      hashes: new Set(history.map((h) => h.hash)),
    };
  } catch (error) {
    log(`database: cannot read the history of ${handle.target} (${(error as Error).message}); continuing`);
    return null;
  } finally {
    await handle.close();
  }
}

const writeFile = (path: string, bytes: Buffer | string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
};

function readJournalFile(folder: string): Journal {
  return JSON.parse(readFileSync(join(folder, JOURNAL_PATH), "utf8")) as Journal;
}

/** An earlier generated migration replayed on the rebuilt chain; null when it comes out empty. */
async function replay(folder: string, m: MigrationVersion): Promise<string | null> {
  if (!m.parent) throw new Error(`cannot find the snapshot before ${m.tag} on ${m.side}`);
  const journal = readJournalFile(folder);
  const last = journal.entries.at(-1);
  if (!last) throw new Error("the base has no migrations to replay onto");
  const current = JSON.parse(readFileSync(join(folder, snapshotPath(last.tag)), "utf8")) as Snapshot;
  const { snapshot, conflicts } = applyChanges(
    current,
    snapshotChanges(m.parent, m.snapshot),
    m.snapshot._meta,
  );
  if (conflicts.length > 0) {
    throw new Error(
      `${m.tag} changes what the base changed too, so it cannot be replayed on the base:\n    ${conflicts.join("\n    ")}\n` +
        "  Resolve by hand: keep the base's drizzle/, remove this branch's generated migrations, and run " +
        "`npm run db:generate` once (custom migrations: `-- --custom`, then their SQL)",
    );
  }
  let statements: string[];
  try {
    statements = await generateSql(current, snapshot);
  } catch (error) {
    throw new Error(`drizzle-kit could not replay ${m.tag}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (statements.length === 0) return null;
  const idx = journal.entries.length;
  const tag = `${numberOf(idx)}_${m.name}`;
  writeFile(join(folder, `${tag}.sql`), statements.join(m.breakpoints ? `${BREAKPOINT}\n` : "\n"));
  writeFile(join(folder, snapshotPath(tag)), JSON.stringify(snapshot, null, 2));
  journal.entries.push({
    idx,
    version: String(snapshot.version ?? last.version),
    when: Math.max(Date.now(), last.when + 1),
    tag,
    breakpoints: m.breakpoints,
  });
  writeFile(join(folder, JOURNAL_PATH), JSON.stringify(journal, null, 2));
  return tag;
}

function expectWritten(outcome: GenerateOutcome, m: MigrationVersion): string | null {
  if (outcome.kind === "written") return outcome.tag;
  if (outcome.kind === "nothing") return null;
  throw new Error(`drizzle-kit generate for ${m.tag}: ${outcome.reason}`);
}

export async function rebaseMigrations(options: RebaseOptions): Promise<RebaseResult> {
  const log = options.log ?? ignore;
  const cwd = options.cwd;
  const top = gitRoot(cwd);
  if (!top) throw new RebaseUsageError("not inside a git checkout");
  const git = new Git(cwd);
  const folderRel = MIGRATIONS_FOLDER.replace(/^\.\//, "");
  const folder = resolve(cwd, folderRel);
  const repoDir = relative(top, folder).split("\\").join("/");
  const base = resolveBase(git, options.onto, log);

  // Preconditions: the base is merged in, and every conflict outside drizzle/ is resolved.
  const head = git.commit("HEAD");
  if (!head) throw new RebaseUsageError("HEAD has no commit yet");
  const mergeHead = git.commit("MERGE_HEAD");
  if (!git.isAncestor(base.sha, head) && !(mergeHead && git.isAncestor(base.sha, mergeHead))) {
    throw new RebaseRefusedError(
      `this branch does not contain ${base.ref} (${base.sha.slice(0, 10)}) yet: merge it first (\`git merge ${base.ref}\`) or rebase onto it, then run db:rebase`,
    );
  }
  const elsewhere = git
    .unmerged()
    .map((p) => relative(cwd, join(top, p)).split("\\").join("/"))
    .filter((p) => p !== folderRel && !p.startsWith(`${folderRel}/`));
  if (elsewhere.length > 0) {
    throw new RebaseRefusedError(
      `resolve the conflicts outside ${folderRel}/ first (the schema code decides what gets generated): ${elsewhere.join(", ")}`,
    );
  }

  const baseSide = commitSide(git, base.ref, base.sha, repoDir);
  const sides: Side[] = [];
  try {
    sides.push(workingTreeSide(folder));
  } catch (error) {
    log(`working tree: ${folderRel}/ not readable as a chain (${(error as Error).message}); using commits`);
  }
  for (const ref of ["HEAD", "MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD"]) {
    const rev = ref === "HEAD" ? head : git.commit(ref);
    if (!rev || rev === base.sha) continue;
    try {
      sides.push(commitSide(git, ref, rev, repoDir));
    } catch (error) {
      log(`${ref}: ${folderRel}/ not readable as a chain (${(error as Error).message}); skipped`);
    }
  }
  const { plan, notes } = branchMigrations(baseSide, sides);
  // A .sql file here that is no migration of the base or of any side would be lost: refuse.
  const known = new Set([
    ...baseSide.files.filter((f) => f.endsWith(".sql")).map((f) => sha256(baseSide.read(f).toString("utf8"))),
    ...sides.flatMap((side) =>
      side.migrations.flatMap((m) => [
        m.hash,
        ...[...m.companions.values()].map((b) => sha256(b.toString("utf8"))),
      ]),
    ),
  ]);
  const unknown = listTree(folder).filter(
    (f) => f.endsWith(".sql") && !known.has(sha256(readFileSync(join(folder, f), "utf8"))),
  );
  if (unknown.length > 0) {
    throw new RebaseRefusedError(
      `${unknown.map((f) => `${folderRel}/${f}`).join(", ")} belong(s) to no migration of ${base.ref} or of this branch's commits: commit them (with their journal entry) or remove them first`,
    );
  }
  for (const n of notes) log(`note: ${n}`);
  log(
    `base ${base.ref} (${base.sha.slice(0, 10)}): ${baseSide.migrations.length} migrations, last ${baseSide.migrations.at(-1)?.tag ?? "none"}`,
  );
  log(
    plan.length === 0
      ? "this branch has no migrations of its own"
      : `this branch's migrations: ${plan.map((m) => `${m.tag} (${m.custom ? "custom" : "generated"}, from ${m.side})`).join(", ")}`,
  );

  // A shared database that ran one of them would be left with a history no file matches.
  let appliedIn: RebaseResult["appliedIn"] = null;
  const recorded = plan.length > 0 ? await recordedHashes(log) : null;
  if (recorded) {
    const tags = plan.filter((m) => recorded.hashes.has(m.hash)).map((m) => m.tag);
    if (tags.length > 0 && recorded.shared) {
      throw new RebaseRefusedError(
        `${recorded.target} already ran ${tags.join(", ")} (their hashes are recorded in drizzle.__drizzle_migrations): ` +
          "renumbering migrations a shared database ran leaves it with history no file matches. " +
          "Roll them back there first, or point DATABASE_URL at a development database. Nothing was changed.",
      );
    }
    if (tags.length > 0) appliedIn = { target: recorded.target, tags };
    else log(`database: ${recorded.target} ran none of this branch's migrations`);
  }

  const tree = sides.find((s) => s.rev === null);
  const upToDate =
    tree !== undefined && alreadyRebased(tree, baseSide, plan) && checkChain(folder).problems.length === 0;
  const result: RebaseResult = {
    base,
    baseCount: baseSide.migrations.length,
    renumbered: [],
    appliedIn,
    backup: null,
    pending: null,
    dryRun: options.dryRun === true,
    upToDate,
  };
  if (options.dryRun || upToDate) return result;

  const backup = mkdtempSync(join(tmpdir(), "netops-db-rebase-"));
  if (existsSync(folder)) cpSync(folder, join(backup, folderRel), { recursive: true });
  const restore = () => {
    rmSync(folder, { recursive: true, force: true });
    if (existsSync(join(backup, folderRel))) cpSync(join(backup, folderRel), folder, { recursive: true });
  };
  try {
    // The base's drizzle/, exactly.
    rmSync(folder, { recursive: true, force: true });
    for (const path of baseSide.files) writeFile(join(folder, path), baseSide.read(path));

    const lastGenerated = plan.findLast((m) => !m.custom);
    const generate = (args: string[], terminal: boolean) =>
      drizzleKitGenerate(args, { cwd, folder: folderRel, interactive: terminal, echo: false });
    for (const m of plan) {
      let tag: string | null;
      let how: RenumberedMigration["how"];
      if (m.custom) {
        how = "custom";
        tag = expectWritten((await generate(["--custom", "--name", m.name], false)).outcome, m);
        if (tag === null) throw new Error(`drizzle-kit wrote no custom migration for ${m.tag}`);
        writeFile(join(folder, `${tag}.sql`), m.sql);
      } else if (m === lastGenerated) {
        how = "generated";
        tag = expectWritten((await generate(["--name", m.name], interactive())).outcome, m);
      } else {
        how = "replayed";
        tag = await replay(folder, m);
      }
      if (tag !== null) {
        for (const [suffix, bytes] of m.companions) writeFile(join(folder, `${tag}${suffix}`), bytes);
      }
      const identical = tag !== null && readFileSync(join(folder, `${tag}.sql`)).equals(m.sql);
      result.renumbered.push({ from: m, to: tag, how, identical });
    }

    if (result.renumbered.some((r) => r.from.companions.has(DOWN_SUFFIX)))
      carryDownRecord(folder, [...sides, baseSide], result.renumbered);
    const chain = checkChain(folder);
    if (chain.problems.length > 0) throw new Error(formatChainProblems(chain, folderRel));
    const after = await pendingSchemaChanges(cwd, folderRel);
    if (after.kind !== "nothing") {
      const reason = after.kind === "failed" ? after.reason : "drizzle-kit would write a migration";
      if (lastGenerated)
        throw new Error(`after regenerating, drizzle-kit generate still has work: ${reason}`);
      result.pending = reason;
    }
  } catch (error) {
    restore();
    rmSync(backup, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    throw new RebaseFailedError(`${message}\n${folderRel}/ is back as it was before db:rebase`);
  }
  git.run(["add", "-A", "--", folderRel]);
  if (result.renumbered.some((r) => !r.identical) || notes.length > 0) result.backup = backup;
  else rmSync(backup, { recursive: true, force: true });
  return result;
}
