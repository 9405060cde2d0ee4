/**
 * Least privilege (issue 14, items 1-3), proved by connecting AS each role: login users made by
 * ensureRoles (what `npm run db:roles` runs), members of netops_owner / netops_app / netops_readonly,
 * against a database built by the migrations. PostgreSQL refuses with SQLSTATE 42501
 * (insufficient_privilege) both for a missing privilege and for the append-only triggers.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database, rows } from "../../src/db.js";
import { PermissionDeniedError } from "../../src/errors/database.js";
import { withDbErrors } from "../../src/errors/sqlstate.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { maintenance } from "../../src/migrate/server.js";
import { migrationStatus } from "../../src/migrate/status.js";
import { checkLedgerInvariant } from "../../src/queries/warehouse/stock.js";
import { APPEND_ONLY_TABLES } from "../../src/security/append-only.js";
import { applyRetention, RetentionError } from "../../src/security/retention.js";
import { APP_ROLE, ensureRoles, OWNER_ROLE, READONLY_ROLE } from "../../src/security/roles.js";
import { committedMigration, writeMigrationsFolder } from "../migrate/support.js";
import { pgErrorOf } from "../support/rows.js";
import { backend, createTestDatabase, onServer, type TestDatabase } from "../support/test-db.js";

const suffix = randomBytes(4).toString("hex");
const users = {
  owner: `netops_sec_test_${suffix}_owner`,
  app: `netops_sec_test_${suffix}_app`,
  readonly: `netops_sec_test_${suffix}_ro`,
};

let t: TestDatabase;
const handles: { close(): Promise<void> }[] = [];
const as: Record<keyof typeof users, Database> = {} as never;

async function connectAs(user: string): Promise<Database> {
  const url = new URL(t.url ?? "");
  url.username = user;
  url.password = "";
  const handle = await createDb({ url: url.toString(), max: 1 });
  handles.push(handle);
  return handle.db;
}

const DENIED = "42501";
const codeOf = async (p: Promise<unknown>) => (await pgErrorOf(p))?.code;

describe.skipIf(!onServer())("roles, connected as each (server)", () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    const changes = await ensureRoles(t.db, [
      { name: users.owner, role: OWNER_ROLE },
      { name: users.app, role: APP_ROLE },
      { name: users.readonly, role: READONLY_ROLE },
    ]);
    expect(changes.filter((c) => c.action === "created").map((c) => c.role)).toEqual(Object.values(users));
    as.owner = await connectAs(users.owner);
    as.app = await connectAs(users.app);
    as.readonly = await connectAs(users.readonly);
  });

  afterAll(async () => {
    for (const h of handles) await h.close();
    await t?.close();
    const b = backend();
    if (b.kind === "server")
      await maintenance(
        b.adminUrl,
        Object.values(users).map((u) => `DROP ROLE IF EXISTS "${u}"`),
      );
  });

  it("db:roles is idempotent: a second run creates nothing", async () => {
    const again = await ensureRoles(t.db, [
      { name: users.owner, role: OWNER_ROLE },
      { name: users.app, role: APP_ROLE },
      { name: users.readonly, role: READONLY_ROLE },
    ]);
    expect(again.map((c) => c.action)).toEqual(Array(6).fill("exists"));
  });

  it("the group roles cannot log in; each user is a member of exactly its group", async () => {
    const r = await rows<{ rolname: string; rolcanlogin: boolean }>(
      t.db,
      sql`SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('netops_owner', 'netops_app', 'netops_readonly') ORDER BY 1`,
    );
    expect(r.every((x) => !x.rolcanlogin)).toBe(true);
    const [m] = await rows<Record<string, boolean>>(
      t.db,
      sql`SELECT pg_has_role(${users.app}, 'netops_owner', 'MEMBER') AS app_owner,
                 pg_has_role(${users.readonly}, 'netops_app', 'MEMBER') AS ro_app,
                 pg_has_role(${users.owner}, 'netops_owner', 'MEMBER') AS owner_owner`,
    );
    expect(m).toEqual({ app_owner: false, ro_app: false, owner_owner: true });
  });

  it("every table of the schema is owned by netops_owner", async () => {
    const r = await rows<{ relname: string; owner: string }>(
      t.db,
      sql`SELECT relname::text, pg_get_userbyid(relowner)::text AS owner FROM pg_class
           WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND pg_get_userbyid(relowner) <> 'netops_owner'`,
    );
    expect(r).toEqual([]);
  });

  it("every function of the schema (the ledger's included) is owned by netops_owner", async () => {
    const r = await rows<{ proname: string; owner: string }>(
      t.db,
      sql`SELECT p.proname::text, pg_get_userbyid(p.proowner)::text AS owner FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
             AND pg_get_userbyid(p.proowner) <> 'netops_owner'`,
    );
    expect(r).toEqual([]);
    const [fn] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM pg_proc WHERE proname IN ('netops_post_stock_document', 'netops_post_receipts')`,
    );
    expect(fn?.n).toBe(2);
  });

  it("the append-only triggers cover exactly APPEND_ONLY_TABLES", async () => {
    const r = await rows<{ table: string; triggers: string }>(
      t.db,
      sql`SELECT c.relname::text AS table, string_agg(tg.tgname, ',' ORDER BY tg.tgname) AS triggers
            FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid
           WHERE p.proname = 'refuse_history_rewrite' GROUP BY 1 ORDER BY 1`,
    );
    expect(r).toEqual(
      Object.keys(APPEND_ONLY_TABLES)
        .sort()
        .map((table) => ({ table, triggers: `${table}_append_only,${table}_no_truncate` })),
    );
    const stamped = await rows<{ table: string }>(
      t.db,
      sql`SELECT c.relname::text AS table FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
            JOIN pg_proc p ON p.oid = tg.tgfoid
           WHERE p.proname = 'stamp_history_created_at' AND tg.tgname = c.relname || '_stamp_created_at' ORDER BY 1`,
    );
    expect(stamped.map((x) => x.table)).toEqual(Object.keys(APPEND_ONLY_TABLES).sort());
  });

  describe("netops_app", () => {
    it("checks the migration status at start-up (reads the history), but cannot migrate", async () => {
      const report = await migrationStatus(as.app);
      expect(report.migrations.length).toBeGreaterThan(0);
      expect(report.migrations.every((m) => m.state === "applied")).toBe(true);
      // Nothing pending: a no-op. A pending migration: refused (no DDL, no history writes).
      await migrate(as.app);
      const journal = readJournal();
      const folder = writeMigrationsFolder([
        ...journal.map((m) => committedMigration(m.idx)),
        {
          tag: "9999_app_tries_ddl",
          when: (journal.at(-1)?.when ?? 0) + 1,
          sql: "CREATE TABLE app_try (id int);",
        },
      ]);
      expect(await codeOf(migrate(as.app, { migrationsFolder: folder }))).toBe(DENIED);
    });

    it("reads and writes an ordinary table", async () => {
      const [v] = await rows<{ id: string }>(
        as.app,
        sql`INSERT INTO vendors (name) VALUES ('app vendor') RETURNING id`,
      );
      expect(v?.id).toBeDefined();
      await as.app.execute(sql`UPDATE vendors SET phone = '1' WHERE id = ${v?.id}`);
      await as.app.execute(sql`DELETE FROM vendors WHERE id = ${v?.id}`);
      expect(await rows(as.app, sql`SELECT 1 FROM vendors WHERE id = ${v?.id}`)).toEqual([]);
    });

    it.each([
      ["CREATE TABLE", "CREATE TABLE app_made (id int)"],
      ["ALTER TABLE", "ALTER TABLE vendors ADD COLUMN evil text"],
      ["DROP TABLE", "DROP TABLE vendors"],
      ["CREATE INDEX", "CREATE INDEX app_idx ON vendors (name)"],
      ["TRUNCATE", "TRUNCATE vendors"],
      ["CREATE FUNCTION in public", "CREATE FUNCTION public.app_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'"],
      ["DISABLE TRIGGER", "ALTER TABLE asset_events DISABLE TRIGGER asset_events_append_only"],
      ["CREATE SCHEMA", "CREATE SCHEMA app_schema"],
      ["write the migration history", "DELETE FROM drizzle.__drizzle_migrations"],
    ])("no DDL: %s refused", async (_, statement) => {
      expect(await codeOf(as.app.execute(sql.raw(statement)))).toBe(DENIED);
    });

    it.each(Object.keys(APPEND_ONLY_TABLES))(
      "%s: INSERT yes; UPDATE, DELETE, TRUNCATE refused",
      async (table) => {
        const id = sql.identifier(table);
        // one row (owner-inserted, so the app has something to try to change)
        await t.db.execute(sql.raw(`INSERT INTO ${table} ${insertColumns(table)}`));
        await as.app.execute(sql.raw(`INSERT INTO ${table} ${insertColumns(table)}`));
        expect(
          await codeOf(as.app.execute(sql`UPDATE ${id} SET created_at = now() - interval '1 year'`)),
        ).toBe(DENIED);
        expect(await codeOf(as.app.execute(sql`DELETE FROM ${id}`))).toBe(DENIED);
        expect(await codeOf(as.app.execute(sql`TRUNCATE ${id}`))).toBe(DENIED);
        const [n] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM ${id}`);
        expect(n?.n).toBeGreaterThanOrEqual(2);
      },
    );

    it("cannot erase an asset's history by deleting the asset (the cascade runs as the owner; the trigger checks the login)", async () => {
      const [a] = await rows<{ id: string }>(
        as.app,
        sql`INSERT INTO assets (asset_code, status) VALUES (${`SEC-${suffix}`}, 'in_stock') RETURNING id`,
      );
      await as.app.execute(sql`INSERT INTO asset_events (asset_id, event_type) VALUES (${a?.id}, 'created')`);
      const e = await pgErrorOf(as.app.execute(sql`DELETE FROM assets WHERE id = ${a?.id}`));
      expect(e?.code).toBe(DENIED);
      expect(e?.message).toMatch(/asset_events is append-only/);
    });

    it("a refusal reaches the caller as PermissionDeniedError (PERMISSION_DENIED) naming the table, not retryable", async () => {
      const typed = async (p: Promise<unknown>) => {
        const error = await withDbErrors("test", () => p).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(PermissionDeniedError);
        const e = error as PermissionDeniedError;
        return { code: e.code, table: e.table, retryable: e.retryable, message: e.message };
      };
      // A missing privilege: PostgreSQL's own message names the table.
      expect(await typed(as.app.execute(sql`TRUNCATE vendors`))).toEqual({
        code: "PERMISSION_DENIED",
        table: "vendors",
        retryable: false,
        message: "permission denied for vendors in test",
      });
      expect(await typed(as.readonly.execute(sql`INSERT INTO vendors (name) VALUES ('ro')`))).toMatchObject({
        table: "vendors",
      });
      // The append-only trigger, reached through a cascade from the parent row.
      const [a] = await rows<{ id: string }>(
        as.app,
        sql`INSERT INTO assets (asset_code, status) VALUES (${`SEC2-${suffix}`}, 'in_stock') RETURNING id`,
      );
      await as.app.execute(sql`INSERT INTO asset_events (asset_id, event_type) VALUES (${a?.id}, 'created')`);
      const refused = await typed(as.app.execute(sql`DELETE FROM assets WHERE id = ${a?.id}`));
      expect(refused).toEqual({
        code: "PERMISSION_DENIED",
        table: "asset_events",
        retryable: false,
        message: "asset_events is append-only: history cannot be changed or removed in test",
      });
      // The login's name (in PostgreSQL's message) is not carried over.
      expect(refused.message).not.toContain(users.app);
    });

    it("checkLedgerInvariant: rewriting a movement together with its stock row is refused", async () => {
      const [w] = await rows<{ id: string }>(
        as.app,
        sql`INSERT INTO warehouses (code, name) VALUES (${`W-${suffix}`}, 'w') RETURNING id`,
      );
      const [p] = await rows<{ id: string }>(
        as.app,
        sql`INSERT INTO spare_parts (part_code, name) VALUES (${`P-${suffix}`}, 'p') RETURNING id`,
      );
      // What posting does: a movement and the stock row it moves, consistent.
      await as.app.execute(
        sql`INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty) VALUES (${w?.id}, ${p?.id}, 'in', 5)`,
      );
      await as.app.execute(
        sql`INSERT INTO spare_part_stock (warehouse_id, part_id, on_hand) VALUES (${w?.id}, ${p?.id}, 5)`,
      );
      const mine = async () => (await checkLedgerInvariant(as.app)).filter((v) => v.warehouseId === w?.id);
      expect(await mine()).toEqual([]);
      // The attack: shrink both sides in one transaction, so the invariant still holds.
      const attack = as.app.transaction(async (tx) => {
        await tx.execute(
          sql`UPDATE spare_part_stock SET on_hand = 1 WHERE warehouse_id = ${w?.id} AND part_id = ${p?.id}`,
        );
        await tx.execute(
          sql`UPDATE spare_part_movements SET qty = 1 WHERE warehouse_id = ${w?.id} AND part_id = ${p?.id}`,
        );
      });
      expect(await codeOf(attack)).toBe(DENIED);
      const attack2 = as.app.transaction(async (tx) => {
        await tx.execute(
          sql`DELETE FROM spare_part_stock WHERE warehouse_id = ${w?.id} AND part_id = ${p?.id}`,
        );
        await tx.execute(
          sql`DELETE FROM spare_part_movements WHERE warehouse_id = ${w?.id} AND part_id = ${p?.id}`,
        );
      });
      expect(await codeOf(attack2)).toBe(DENIED);
      // Nor through the cascade from the part.
      expect(await codeOf(as.app.execute(sql`DELETE FROM spare_parts WHERE id = ${p?.id}`))).toBe(DENIED);
      const [m] = await rows<{ qty: number }>(
        t.db,
        sql`SELECT qty FROM spare_part_movements WHERE part_id = ${p?.id}`,
      );
      expect(m?.qty).toBe(5);
      expect(await mine()).toEqual([]);
    });

    it("cannot add a backdated history row: created_at is the database's", async () => {
      const [r] = await rows<{ created: string; now: string }>(
        as.app,
        sql`INSERT INTO audit_logs (action, created_at) VALUES ('backdated', '2001-01-01T00:00:00Z') RETURNING created_at::text AS created, now()::text`,
      );
      expect(r?.created).toBe(r?.now);
      const [o] = await rows<{ y: string }>(
        as.owner,
        sql`INSERT INTO audit_logs (action, created_at) VALUES ('import', '2001-01-01T00:00:00Z') RETURNING to_char(created_at AT TIME ZONE 'UTC', 'YYYY') AS y`,
      );
      expect(o?.y).toBe("2001");
    });

    it("updated_at: the trigger overwrites what the app sets", async () => {
      const [v] = await rows<{ id: string }>(
        as.app,
        sql`INSERT INTO users (email, name, password_hash) VALUES (${`a-${suffix}@x.test`}, 'a', 'x') RETURNING id`,
      );
      const [r] = await rows<{ updated_at: string; now: string }>(
        as.app,
        sql`UPDATE users SET name = 'b', updated_at = '2001-01-01T00:00:00Z' WHERE id = ${v?.id} RETURNING updated_at::text, now()::text`,
      );
      expect(r?.updated_at).toBe(r?.now);
    });

    it("retention is refused to the app", async () => {
      await expect(applyRetention(as.app, "usage_logs", 1)).rejects.toBeInstanceOf(RetentionError);
    });
  });

  describe("netops_readonly", () => {
    it("reads every table", async () => {
      const tables = await rows<{ t: string }>(
        t.db,
        sql`SELECT relname::text AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
      );
      expect(tables.length).toBeGreaterThanOrEqual(45);
      for (const { t: table } of tables)
        await as.readonly.execute(sql`SELECT 1 FROM ${sql.identifier(table)} LIMIT 1`);
    });

    it.each([
      ["INSERT", "INSERT INTO vendors (name) VALUES ('ro')"],
      ["UPDATE", "UPDATE vendors SET name = name"],
      ["DELETE", "DELETE FROM vendors"],
      ["TRUNCATE", "TRUNCATE vendors"],
      ["CREATE TABLE", "CREATE TABLE ro_made (id int)"],
      ["INSERT history", "INSERT INTO audit_logs (action) VALUES ('ro')"],
    ])("%s refused", async (_, statement) => {
      expect(await codeOf(as.readonly.execute(sql.raw(statement)))).toBe(DENIED);
    });

    it("cannot post stock through the ledger functions: they run with the caller's rights", async () => {
      const [doc] = await rows<{ id: string }>(
        t.db,
        sql`WITH w AS (INSERT INTO warehouses (code, name) VALUES (${`RO-${suffix}`}, 'ro') RETURNING id),
                 p AS (INSERT INTO spare_parts (part_code, name) VALUES (${`RO-${suffix}`}, 'ro') RETURNING id),
                 d AS (INSERT INTO stock_documents (doc_type, code, status, warehouse_id)
                       SELECT 'receipt', ${`RO-${suffix}`}, 'draft', w.id FROM w RETURNING id)
            INSERT INTO stock_document_lines (document_id, part_id, qty) SELECT d.id, p.id, 1 FROM d, p
            RETURNING document_id AS id`,
      );
      const ids = sql`${`{${doc!.id}}`}::uuid[]`;
      expect(
        await codeOf(
          as.readonly.execute(
            sql`SELECT * FROM netops_post_receipts(${ids}, 'stock_document', NULL, NULL, NULL)`,
          ),
        ),
      ).toBe(DENIED);
      const [posted] = await rows<{ movements: number }>(
        as.app,
        sql`SELECT movements FROM netops_post_receipts(${ids}, 'stock_document', NULL, 'app', NULL)`,
      );
      expect(posted?.movements).toBe(1);
      // (Other tests here write raw movements, so the whole ledger is not checked: this part's is.)
      const [stock] = await rows<{ on_hand: number; moved: number }>(
        t.db,
        sql`SELECT s.on_hand, (SELECT sum(m.qty)::int FROM spare_part_movements m WHERE m.part_id = s.part_id) AS moved
              FROM spare_part_stock s JOIN spare_parts p ON p.id = s.part_id WHERE p.part_code = ${`RO-${suffix}`}`,
      );
      expect(stock).toEqual({ on_hand: 1, moved: 1 });
    });
  });

  describe("netops_owner", () => {
    it("runs DDL, and a table it creates later is granted by the default privileges (sequence included)", async () => {
      await as.owner.execute(
        sql`CREATE TABLE sec_later (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text)`,
      );
      await as.owner.execute(sql`ALTER TABLE vendors ADD COLUMN owner_note text`);
      const [o] = await rows<{ owner: string }>(
        t.db,
        sql`SELECT pg_get_userbyid(relowner)::text AS owner FROM pg_class WHERE relname = 'sec_later'`,
      );
      expect(o?.owner).toBe(OWNER_ROLE);
      const [r] = await rows<{ id: number }>(
        as.app,
        sql`INSERT INTO sec_later (note) VALUES ('x') RETURNING id`,
      );
      expect(r?.id).toBe(1);
      expect(await rows(as.readonly, sql`SELECT note FROM sec_later`)).toEqual([{ note: "x" }]);
      expect(await codeOf(as.readonly.execute(sql`INSERT INTO sec_later (note) VALUES ('y')`))).toBe(DENIED);
      expect(await codeOf(as.app.execute(sql`DROP TABLE sec_later`))).toBe(DENIED);
      await as.owner.execute(sql`DROP TABLE sec_later`);
      await as.owner.execute(sql`ALTER TABLE vendors DROP COLUMN owner_note`);
    });

    it("updates and deletes history, truncates, and keeps an updated_at it sets (imports)", async () => {
      await as.owner.execute(
        sql`INSERT INTO ops_events (entity_type, entity_id, event_type) VALUES ('repair_order', gen_random_uuid(), 'x')`,
      );
      await as.owner.execute(sql`UPDATE ops_events SET event_type = 'y'`);
      await as.owner.execute(sql`DELETE FROM ops_events`);
      await as.owner
        .transaction(async (tx) => {
          await tx.execute(sql`TRUNCATE usage_logs`);
          tx.rollback();
        })
        .catch(() => undefined);
      const [v] = await rows<{ id: string }>(
        as.owner,
        sql`INSERT INTO users (email, name, password_hash) VALUES (${`o-${suffix}@x.test`}, 'o', 'x') RETURNING id`,
      );
      const [r] = await rows<{ updated_at: string }>(
        as.owner,
        sql`UPDATE users SET updated_at = '2001-01-01T00:00:00Z' WHERE id = ${v?.id} RETURNING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS updated_at`,
      );
      expect(r?.updated_at).toBe("2001-01-01");
    });

    it("retention deletes by age and records it in audit_logs", async () => {
      await t.db.execute(sql`DELETE FROM usage_logs`);
      await t.db.execute(
        sql`INSERT INTO usage_logs (user_id, tier, created_at) VALUES ('u', 0, now() - interval '400 days'), ('u', 0, now() - interval '10 days')`,
      );
      const r = await applyRetention(as.owner, "usage_logs", 365);
      expect(r.deleted).toBe(1);
      expect(await rows(t.db, sql`SELECT count(*)::int AS n FROM usage_logs`)).toEqual([{ n: 1 }]);
      const [a] = await rows<{ action: string; resource: string; deleted: number; user_id: string }>(
        t.db,
        sql`SELECT action, resource, (details->>'deleted')::int AS deleted, user_id FROM audit_logs WHERE action = 'retention.delete' ORDER BY created_at DESC LIMIT 1`,
      );
      expect(a).toEqual({
        action: "retention.delete",
        resource: "usage_logs",
        deleted: 1,
        user_id: users.owner,
      });
      await expect(applyRetention(as.owner, "spare_part_movements", 365)).rejects.toThrow(/ledger/);
    });
  });
});

/** A minimal VALUES clause per history table (its NOT NULL columns). */
function insertColumns(table: string): string {
  switch (table) {
    case "asset_events":
      return "(event_type) VALUES ('t')";
    case "ops_events":
      return "(entity_type, entity_id, event_type) VALUES ('repair_order', gen_random_uuid(), 't')";
    case "spare_part_movements":
      return "(movement_type, qty) VALUES ('in', 1)";
    case "usage_logs":
      return "(user_id, tier) VALUES ('u', 0)";
    case "audit_logs":
      return "(action) VALUES ('t')";
    default:
      throw new Error(`no sample row for ${table}`);
  }
}
