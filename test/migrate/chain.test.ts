/**
 * The chain gate on each kind of broken chain (a copy of the committed drizzle/, damaged one way
 * at a time), the reading of drizzle-kit's output, and the snapshot replay db:rebase uses.
 * Offline and fast; test/migrate/branches.test.ts runs the real tools in a scratch repository.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { classifyGenerate, PROMPT_NEEDS_TTY } from "../../scripts/lib/drizzle-kit.js";
import { applyChanges, type Snapshot, sameSchema, snapshotChanges } from "../../scripts/lib/replay.js";
import { MIGRATIONS_FOLDER } from "../../src/config.js";
import {
  type ChainProblemKind,
  checkChain,
  formatChainProblems,
  type Journal,
  numberOf,
  ORIGIN_ID,
  snapshotPath,
} from "../../src/migrate/chain.js";

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** A scratch copy of the committed migrations folder. */
function copy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "netops-chain-")), "drizzle");
  folders.push(dirname(dir));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  return dir;
}

const readJson = <T>(dir: string, path: string) => JSON.parse(readFileSync(join(dir, path), "utf8")) as T;
const writeJson = (dir: string, path: string, value: unknown) =>
  writeFileSync(join(dir, path), JSON.stringify(value, null, 2));
const journalOf = (dir: string) => readJson<Journal>(dir, "meta/_journal.json");

/** Append a migration the way drizzle-kit does: next number, snapshot chained on the last one. */
function addMigration(dir: string, name: string, parentId?: string): string {
  const journal = journalOf(dir);
  const last = journal.entries.at(-1)!;
  const lastSnapshot = readJson<Snapshot>(dir, snapshotPath(last.tag));
  const idx = journal.entries.length;
  const tag = `${numberOf(idx)}_${name}`;
  journal.entries.push({ ...last, idx, tag, when: last.when + 1000 });
  writeJson(dir, "meta/_journal.json", journal);
  writeJson(dir, snapshotPath(tag), {
    ...lastSnapshot,
    id: `00000000-0000-4000-8000-${String(idx).padStart(12, "0")}`,
    prevId: parentId ?? lastSnapshot.id,
  });
  writeFileSync(join(dir, `${tag}.sql`), `ALTER TABLE "assets" ADD COLUMN "${name}" integer;`);
  return tag;
}

const kinds = (dir: string) => checkChain(dir).problems.map((p) => p.kind);
const problem = (dir: string, kind: ChainProblemKind) =>
  checkChain(dir).problems.find((p) => p.kind === kind);

describe("checkChain", () => {
  it("passes the committed chain and a drizzle-kit shaped addition to it", () => {
    const dir = copy();
    expect(checkChain(dir).problems).toEqual([]);
    addMigration(dir, "x");
    expect(checkChain(dir).problems).toEqual([]);
    expect(checkChain(dir).entries.length).toBe(journalOf(copy()).entries.length + 1);
  });

  it("fails on two snapshots with one parent, naming both files and the parent", () => {
    const dir = copy();
    const base = journalOf(dir).entries.at(-1)!;
    const parentId = readJson<Snapshot>(dir, snapshotPath(base.tag)).id;
    const a = addMigration(dir, "a");
    const b = addMigration(dir, "b", parentId);
    const fork = problem(dir, "fork")!;
    expect(fork.files).toEqual([snapshotPath(a), snapshotPath(b)]);
    expect(fork.message).toContain(snapshotPath(base.tag));
    expect(problem(dir, "parent")?.files).toEqual([snapshotPath(b)]);
    expect(formatChainProblems(checkChain(dir))).toContain("npm run db:rebase");
  });

  it("fails on a journal entry without its files", () => {
    const dir = copy();
    const tag = addMigration(dir, "x");
    rmSync(join(dir, `${tag}.sql`));
    expect(problem(dir, "missing-file")?.files).toEqual([`${tag}.sql`]);
    rmSync(join(dir, snapshotPath(tag)));
    expect(kinds(dir).filter((k) => k === "missing-file")).toHaveLength(2);
  });

  it("fails on files without a journal entry: migration, snapshot, down file", () => {
    const dir = copy();
    const journal = journalOf(dir);
    const tag = addMigration(dir, "x");
    writeJson(dir, "meta/_journal.json", journal);
    expect(checkChain(dir).problems.map((p) => `${p.kind} ${p.files.join()}`)).toEqual([
      `orphan-file ${tag}.sql`,
      `orphan-file ${snapshotPath(tag)}`,
    ]);
    const dir2 = copy();
    const last = journalOf(dir2).entries.at(-1)!.tag;
    writeFileSync(join(dir2, `${last}.down.sql`), "SELECT 1;");
    expect(checkChain(dir2).problems).toEqual([]);
    writeFileSync(join(dir2, `${numberOf(99)}_gone.down.sql`), "SELECT 1;");
    expect(problem(dir2, "orphan-file")?.files).toEqual([`${numberOf(99)}_gone.down.sql`]);
  });

  it("fails on two migrations with one number", () => {
    const dir = copy();
    const tag = addMigration(dir, "a");
    writeFileSync(join(dir, `${tag.slice(0, 4)}_b.sql`), "SELECT 1;");
    expect(problem(dir, "duplicate-number")?.message).toBe(
      `two migrations numbered ${tag.slice(0, 4)}: ${tag}, ${tag.slice(0, 4)}_b`,
    );
  });

  it("fails on a snapshot whose prevId does not follow the journal order", () => {
    const dir = copy();
    const tag = addMigration(dir, "x");
    const snapshot = readJson<Snapshot>(dir, snapshotPath(tag));
    writeJson(dir, snapshotPath(tag), { ...snapshot, prevId: ORIGIN_ID.replace(/0$/, "1") });
    expect(kinds(dir)).toEqual(["parent"]);
  });

  it("fails on idx out of step, a tag numbered out of place, and a `when` that goes backwards", () => {
    const dir = copy();
    addMigration(dir, "x");
    const journal = journalOf(dir);
    const last = journal.entries.at(-1)!;
    last.idx += 1;
    writeJson(dir, "meta/_journal.json", journal);
    expect(kinds(dir)).toEqual(["numbering"]);
    last.idx -= 1;
    last.when = journal.entries.at(-2)!.when;
    writeJson(dir, "meta/_journal.json", journal);
    expect(problem(dir, "when")?.message).toContain("drizzle-kit migrate would skip it");
  });

  it("fails on merge conflict markers and on an unreadable snapshot", () => {
    const dir = copy();
    const text = readFileSync(join(dir, "meta/_journal.json"), "utf8");
    writeFileSync(join(dir, "meta/_journal.json"), `<<<<<<< HEAD\n${text}=======\n${text}>>>>>>> a\n`);
    expect(kinds(dir)).toEqual(["conflict-markers"]);
    const dir2 = copy();
    const tag = addMigration(dir2, "x");
    writeFileSync(join(dir2, snapshotPath(tag)), "{");
    expect(kinds(dir2)).toEqual(["snapshot"]);
  });

  it("fails on a renamed migration file (the journal tag and the file disagree)", () => {
    const dir = copy();
    const tag = addMigration(dir, "x");
    renameSync(join(dir, `${tag}.sql`), join(dir, `${tag.slice(0, 5)}y.sql`));
    expect(kinds(dir).sort()).toEqual(["missing-file", "orphan-file"]);
  });
});

describe("classifyGenerate (drizzle-kit 0.31's output)", () => {
  it("counts only drizzle-kit's two success lines", () => {
    expect(classifyGenerate("45 tables\n\nNo schema changes, nothing to migrate 😴\n", 0)).toEqual({
      kind: "nothing",
    });
    expect(
      classifyGenerate(
        "[\u001b[32m✓\u001b[39m] Your SQL migration file ➜ \u001b[1mdrizzle/0007_x.sql\u001b[22m 🚀",
        0,
      ),
    ).toEqual({ kind: "written", tag: "0007_x", custom: false });
  });

  it("fails on the exit-0 failures: a prompt with no TTY, a collision, silence", () => {
    expect(
      classifyGenerate(
        "Error: Interactive prompts require a TTY terminal (process.stdin.isTTY or process.stdout.isTTY is false).",
        0,
      ),
    ).toEqual({ kind: "failed", reason: PROMPT_NEEDS_TTY });
    const collision = classifyGenerate(
      "Error: [drizzle/meta/0005_snapshot.json, drizzle/meta/0006_snapshot.json] are pointing to a parent snapshot: drizzle/meta/0005_snapshot.json/snapshot.json which is a collision.",
      0,
    );
    expect(collision.kind).toBe("failed");
    expect(classifyGenerate("Reading config file 'drizzle.config.ts'\n", 0).kind).toBe("failed");
    expect(classifyGenerate("No schema changes, nothing to migrate 😴", 1).kind).toBe("failed");
  });
});

describe("snapshot replay", () => {
  const snap = (tables: Record<string, unknown>, id = "a", prevId = "p"): Snapshot =>
    ({ id, prevId, version: "7", tables, _meta: {} }) as unknown as Snapshot;

  it("applies a branch's change to a base that changed something else", () => {
    const parent = snap({ t: { columns: { a: { type: "int" } } } });
    const branch = snap({ t: { columns: { a: { type: "int" }, b: { type: "text" } } } }, "b", "a");
    const base = snap({ t: { columns: { a: { type: "int" }, c: { type: "uuid" } } } }, "c", "a");
    const { snapshot, conflicts } = applyChanges(base, snapshotChanges(parent, branch), {});
    expect(conflicts).toEqual([]);
    expect(snapshot.tables).toEqual({
      t: { columns: { a: { type: "int" }, b: { type: "text" }, c: { type: "uuid" } } },
    });
    expect(snapshot.prevId).toBe("c");
    expect(sameSchema(parent, { ...parent, id: "other", prevId: "x" })).toBe(true);
  });

  it("reports a key both sides changed", () => {
    const parent = snap({ t: { columns: { a: { type: "int" } } } });
    const branch = snap({ t: { columns: { a: { type: "bigint" } } } });
    const base = snap({ t: { columns: { a: { type: "text" } } } });
    expect(applyChanges(base, snapshotChanges(parent, branch), {}).conflicts).toEqual([
      'tables.t.columns.a.type: the base has "text", the branch changed "int" to "bigint"',
    ]);
    expect(applyChanges(snap({}), snapshotChanges(parent, branch), {}).conflicts).toHaveLength(1);
  });
});
