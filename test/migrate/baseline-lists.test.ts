/**
 * After adoption: the value lists the document leaves open are closed by 0005 (CHECK ... NOT VALID:
 * no scan, so it is safe on a full database) and validated by 0006, where rows outside a list fail
 * the migration with the constraint named. And a development database built by the earlier 0000
 * (before 0000 matched the document) is told what it is and what to do.
 */

import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { MigrationError } from "../../src/errors/index.js";
import { guardMigrations } from "../../src/migrate/guard.js";
import { historyTable, readHistory } from "../../src/migrate/history.js";
import { readJournal, sha256 } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { formatStatus, migrationStatus, statusExitCode } from "../../src/migrate/status.js";
import { onServer } from "../support/test-db.js";
import { cli, type FreshDatabase, freshDatabase } from "./support.js";

const CLOSE = "0005_close_open_value_lists";
const VALIDATE = "0006_validate_value_lists";
/** sha256 of drizzle/0000_initial_schema.sql before it matched the document (src/migrate/superseded.ts). */
const EARLIER_0000 = "bc19b7334af52be03d13bd3aa4349aa5de07983642d00cd8facc628e7556f463";

let fresh: FreshDatabase | undefined;
afterEach(async () => {
  await fresh?.dispose();
  fresh = undefined;
});

const validated = async (f: FreshDatabase, name: string) =>
  (
    await rows<{ v: boolean }>(
      f.handle.db,
      sql`SELECT convalidated AS v FROM pg_constraint WHERE conname = ${name}`,
    )
  )[0]?.v;

describe("closing the open value lists on a database that already holds data", () => {
  it("0005 adds the CHECKs NOT VALID over violating rows; 0006 fails naming the constraint until they are fixed", async () => {
    fresh = await freshDatabase("lists");
    const { db } = fresh.handle;
    await migrate(db, { to: "0004_foreign_key_indexes" });
    // Rows the document allows ("etc.") but the closed list does not.
    await db.execute(
      sql`INSERT INTO ops_events (entity_type, entity_id, event_type) VALUES ('invoice', gen_random_uuid(), 'created')`,
    );

    // 0005 alone: no scan, the violating row stays, new ones are refused.
    expect((await migrate(db, { to: CLOSE })).map((m) => m.tag)).toEqual([CLOSE]);
    expect(await validated(fresh, "ops_events_entity_type_check")).toBe(false);
    await expect(
      db.execute(
        sql`INSERT INTO ops_events (entity_type, entity_id, event_type) VALUES ('invoice', gen_random_uuid(), 'again')`,
      ),
    ).rejects.toThrow();

    // 0006 validates: the existing row fails it, with the constraint named; 0006 is not recorded.
    const failure = await migrate(db).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).tag).toBe(VALIDATE);
    expect((failure as Error).message).toContain(
      'check constraint "ops_events_entity_type_check" of relation "ops_events" is violated by some row',
    );
    const hashOf = (tag: string) => readJournal().find((m) => m.tag === tag)?.hash;
    expect((await readHistory(db)).map((h) => h.hash)).not.toContain(hashOf(VALIDATE));
    expect(await validated(fresh, "ops_events_entity_type_check")).toBe(false);

    // Fix the rows, migrate again: validated.
    await db.execute(sql`UPDATE ops_events SET entity_type = 'warehouse' WHERE entity_type = 'invoice'`);
    expect((await migrate(db)).map((m) => m.tag)).toContain(VALIDATE);
    for (const name of [
      "ops_events_entity_type_check",
      "asset_category_spec_defs_field_type_check",
      "cmdb_ci_type_attr_defs_field_type_check",
    ]) {
      expect(await validated(fresh, name), name).toBe(true);
    }
  });

  it("0005's CHECKs are NOT VALID and 0006 only validates (the guard's online rule)", () => {
    const [close, validate] = [CLOSE, VALIDATE].map((tag) => readJournal().find((m) => m.tag === tag));
    const adds = close?.statements.filter((s) => /ADD CONSTRAINT .* CHECK/.test(s)) ?? [];
    expect(adds).toHaveLength(3);
    for (const statement of adds) expect(statement.trimEnd()).toMatch(/NOT VALID;?$/);
    expect(
      validate?.statements.every((s) =>
        /^(--[^\n]*\n)*ALTER TABLE "\w+" VALIDATE CONSTRAINT "\w+";?$/.test(s),
      ),
    ).toBe(true);
  });
});

/** The earlier 0000, rebuilt from today's by undoing the rewrite (no git history needed). */
function earlier0000(current: string): string {
  const check = (table: string, column: string, values: string) =>
    `,\n\tCONSTRAINT "${table}_${column}_check" CHECK ("${table}"."${column}" IN (${values}))\n);`;
  const fieldTypes = "'string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac'";
  const undo: [string, string][] = [
    ['UNIQUE("version_id","key")\n);', "asset_category_spec_defs"],
    ['UNIQUE("version_id","key")\n);', "cmdb_ci_type_attr_defs"],
  ];
  let text = current;
  for (const [anchor, table] of undo) {
    const at = text.indexOf(anchor, text.indexOf(`CREATE TABLE "${table}"`));
    text = `${text.slice(0, at)}UNIQUE("version_id","key")${check(table, "field_type", fieldTypes)}${text.slice(at + anchor.length)}`;
  }
  const events = text.indexOf('CREATE TABLE "ops_events"');
  const end = text.indexOf("DEFAULT now()\n);", events);
  text = `${text.slice(0, end)}DEFAULT now()${check("ops_events", "entity_type", "'repair_order', 'stock_document', 'spare_part', 'warehouse', 'maintenance_ticket'")}${text.slice(end + "DEFAULT now()\n);".length)}`;
  for (const column of [
    '"total_cost" numeric(12, 6)',
    '"labor_cost" numeric(12, 2)',
    '"parts_cost" numeric(12, 2)',
  ]) {
    text = text.replace(`${column} DEFAULT 0,`, `${column} DEFAULT '0',`);
  }
  return text;
}

it("the migrations guard accepts exactly the recorded rewrite of 0000, not any other edit of it", async () => {
  const current = readFileSync(readJournal()[0]!.path, "utf8");
  const earlier = earlier0000(current);
  expect(sha256(earlier), "the rebuilt earlier 0000 is byte-identical").toBe(EARLIER_0000);
  const name = "drizzle/0000_initial_schema.sql";
  const judge = async (sql: string) =>
    (await guardMigrations([{ name, sql, baseSql: earlier }]))[0]?.findings.map((f) => f.rule);
  expect(await judge(current)).toEqual([]);
  expect(await judge(`${current}\n-- one more edit`)).toEqual(["edited"]);
});

describe("a database built by the earlier 0000", () => {
  async function builtByEarlier0000() {
    fresh = await freshDatabase("earlier");
    await migrate(fresh.handle.db);
    const first = readJournal()[0]!;
    await fresh.handle.db.execute(
      sql`UPDATE ${historyTable} SET hash = ${EARLIER_0000} WHERE created_at = ${first.when}`,
    );
    return fresh;
  }

  it("status shows 0000 as modified, says why and what to do (exit 4)", async () => {
    const { handle } = await builtByEarlier0000();
    const report = await migrationStatus(handle.db);
    expect(statusExitCode(report)).toBe(EXIT.modified);
    expect(formatStatus(report)).toContain(
      "built by an earlier 0000 (before it matched the documented DDL): development database -> npm run db:reset",
    );
  });

  it.runIf(onServer())("db:status and db:migrate exit 4 with the same advice", async () => {
    const f = await builtByEarlier0000();
    const advice =
      "built by an earlier 0000 (before it matched the documented DDL): development database -> npm run db:reset";
    const status = await cli(["status"], { DATABASE_URL: f.url });
    expect(status.code, status.stderr).toBe(EXIT.modified);
    expect(status.stdout).toContain(advice);
    const migrated = await cli(["migrate"], { DATABASE_URL: f.url });
    expect(migrated.code, migrated.stderr).toBe(EXIT.modified);
    expect(migrated.stderr).toContain(`0000_initial_schema: ${advice}`);
  });
});
