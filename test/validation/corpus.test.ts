/**
 * The bad-input corpus (corpus.ts) against the validation layer and against the database:
 * - through the validator, each input is rejected with a field-level issue on exactly the wrong
 *   field, and no row is written (counted before and after, in every table touched);
 * - sent straight to the database (bypassing zod), each input the schema has a constraint for is
 *   refused and surfaces from toDbError() as the typed error naming table, constraint and columns,
 *   with a message that does not echo the rejected value.
 */
import { getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type DbOrTx, rows } from "../../src/db.js";
import {
  DbError,
  loadConstraintCatalogue,
  parseInput,
  toDbError,
  ValidationError,
} from "../../src/errors/index.js";
import { useTestDatabase } from "../support/test-db.js";
import { bases, corpus } from "./corpus.js";

const t = useTestDatabase();
beforeAll(async () => {
  // toDbError is called bare here: load what withDbErrors loads first (CHECK columns).
  await loadConstraintCatalogue();
});

const tables = [...new Set(corpus.map((c) => c.table))];

async function counts(db: DbOrTx): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const name = getTableName(table);
    const [r] = await rows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM "${name}"`));
    out[name] = r?.n ?? 0;
  }
  return out;
}

/** The application's write path: validate, then insert. */
async function createValidated(
  db: DbOrTx,
  table: PgTable,
  schema: Parameters<typeof parseInput>[0],
  input: unknown,
) {
  const value = parseInput(schema, input);
  await db.insert(table).values(value as never);
}

describe("bad-input corpus", () => {
  it("has at least 50 entries covering all five domains", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(corpus.map((c) => c.domain))).toEqual(
      new Set(["core", "assets", "cmdb", "warehouse", "workflow"]),
    );
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it("every base row is valid (so each entry is wrong only in its field)", () => {
    for (const [name, base] of Object.entries(bases)) {
      const result = base.schema.safeParse(base.row);
      expect({ name, ok: result.success, issues: result.error?.issues }).toEqual({
        name,
        ok: true,
        issues: undefined,
      });
    }
  });

  it.each(corpus.map((c) => [c.name, c] as const))("validator rejects: %s", async (_name, entry) => {
    const before = await counts(t.db);
    const error = await createValidated(t.db, entry.table, entry.schema, entry.input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.path)).toEqual(issues.map(() => entry.field));
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(3);
    expect(await counts(t.db)).toEqual(before);
  });

  const constrained = corpus.filter((c) => c.db !== null);

  it("most entries the schema constrains are also refused by the database", () => {
    expect(constrained.length).toBeGreaterThanOrEqual(30);
  });

  it.each(constrained.map((c) => [c.name, c] as const))("database refuses: %s", async (_name, entry) => {
    const expected = entry.db;
    if (!expected) throw new Error("filtered");
    const before = await counts(t.db);
    const raw = await t.db
      .insert(entry.table)
      .values(entry.input as never)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(raw).toBeDefined();
    const typed = toDbError(raw);
    expect(typed).toBeInstanceOf(expected.error);
    const e = typed as DbError;
    expect(e).toBeInstanceOf(DbError);
    if (expected.constraint) {
      expect(e.constraint).toBe(expected.constraint);
      expect(e.table).toBe(getTableName(entry.table));
    }
    if (expected.columns) expect(e.columns).toEqual(expected.columns);
    // No value echoed: the message carries identifiers only.
    const value = entry.input[entry.field];
    if (typeof value === "string" && value.trim().length > 3) expect(e.message).not.toContain(value);
    expect(await counts(t.db)).toEqual(before);
  });

  it("the SQL-looking inputs left every table in place", async () => {
    const [r] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('assets', 'cmdb_cis', 'users')`,
    );
    expect(r?.n).toBe(3);
  });
});
