/**
 * Guard fixtures written from PostgreSQL's documentation (ALTER TABLE, CREATE INDEX, TRUNCATE, lock
 * modes in "Explicit Locking"), not from the guard's output. Tables are those of migration 0000,
 * which exist before any new migration.
 *
 * RULE_FIXTURES: per rule, migrations that trip it. `{ack}` marks the line before the tripping
 * statement: the test replaces it with nothing (the guard must fail there) or with one
 * `-- guard:allow <rule> <reason>` line per rule in `rules` (the guard must pass).
 *
 * LOCK_FIXTURES: one statement each, with the strongest lock PostgreSQL documents it takes on the
 * table and whether it rewrites the table; test/migrate/guard.test.ts confirms both on the server
 * (pg_locks, pg_relation_filenode) and compares the guard's verdict with `rules`.
 */
import type { GuardRule } from "../../src/migrate/guard.js";

export interface RuleFixture {
  title: string;
  /** Rules the marked statement trips; the first is the one under test. */
  rules: GuardRule[];
  /** Migrations before this one that are also new (not on the base yet). */
  earlier?: string[];
  sql: string;
}

export const RULE_FIXTURES: RuleFixture[] = [
  // DROP TABLE / DROP SCHEMA / TRUNCATE: the data is gone (TRUNCATE: "quickly removes all rows").
  { title: "DROP TABLE", rules: ["drop-table"], sql: `{ack}\nDROP TABLE "reminders";` },
  { title: "DROP SCHEMA", rules: ["drop-table"], sql: `{ack}\nDROP SCHEMA "archive" CASCADE;` },
  { title: "TRUNCATE", rules: ["drop-table"], sql: `{ack}\nTRUNCATE TABLE public.reminders;` },
  // DROP COLUMN: "makes it invisible to SQL operations"; running code still names it.
  {
    title: "DROP COLUMN",
    rules: ["drop-column"],
    sql: `ALTER TABLE "vendors" ADD COLUMN "fax" text;--> statement-breakpoint\n{ack}\nALTER TABLE "vendors" DROP COLUMN "phone";`,
  },
  // "changing the type of an existing column will require the entire table and its indexes to be rewritten"
  {
    title: "ALTER COLUMN TYPE",
    rules: ["alter-type"],
    sql: `{ack}\nALTER TABLE vendors ALTER COLUMN tax_code SET DATA TYPE bigint USING tax_code::bigint;`,
  },
  // Issue 11: SET DEFAULT fills nothing; SET NOT NULL "may only be applied ... provided none of the
  // records in the table contain a NULL value".
  {
    title: "SET DEFAULT then SET NOT NULL (no backfill)",
    rules: ["not-null", "not-null-scan"],
    sql: `ALTER TABLE "vendors" ALTER COLUMN "phone" SET DEFAULT '';--> statement-breakpoint\n{ack}\nALTER TABLE "vendors" ALTER COLUMN "phone" SET NOT NULL;`,
  },
  {
    title: "ADD COLUMN NOT NULL without DEFAULT",
    rules: ["not-null"],
    sql: `{ack}\nALTER TABLE "vendors" ADD COLUMN "country" text NOT NULL;`,
  },
  {
    title: "SET NOT NULL on a column added without default in the same migration",
    rules: ["not-null", "not-null-scan"],
    sql: `ALTER TABLE vendors ADD COLUMN country text;\n{ack}\nALTER TABLE vendors ALTER COLUMN country SET NOT NULL;`,
  },
  // "Ordinarily this is checked during the ALTER TABLE by scanning the entire table; however, if a
  // valid CHECK constraint is found which proves no NULL can exist, then the table scan is skipped."
  {
    title: "backfilled SET NOT NULL still scans under ACCESS EXCLUSIVE",
    rules: ["not-null-scan"],
    sql: `UPDATE vendors SET phone = '' WHERE phone IS NULL;\n{ack}\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`,
  },
  {
    title: "SET NOT NULL after a CHECK (col IS NOT NULL) that is NOT VALID yet",
    rules: ["not-null-scan"],
    earlier: [`ALTER TABLE vendors ADD CONSTRAINT vendors_phone_nn CHECK (phone IS NOT NULL) NOT VALID;`],
    sql: `UPDATE vendors SET phone = '' WHERE phone IS NULL;\n{ack}\nALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;`,
  },
  // RENAME: instantaneous, but the running application still uses the old name.
  {
    title: "RENAME COLUMN",
    rules: ["rename"],
    sql: `{ack}\nALTER TABLE "assets" RENAME COLUMN "notes" TO "remarks";`,
  },
  { title: "RENAME TO (table)", rules: ["rename"], sql: `{ack}\nALTER TABLE vendors RENAME TO suppliers;` },
  // CREATE INDEX: "locks the table to be indexed against writes"; REINDEX likewise.
  {
    title: "CREATE INDEX",
    rules: ["create-index-blocking"],
    sql: `{ack}\nCREATE INDEX "idx_vendors_name" ON "vendors" ("name");`,
  },
  {
    title: "CREATE UNIQUE INDEX",
    rules: ["create-index-blocking"],
    sql: `{ack}\nCREATE UNIQUE INDEX idx_vendors_tax_code ON vendors USING btree (tax_code);`,
  },
  { title: "REINDEX", rules: ["create-index-blocking"], sql: `{ack}\nREINDEX TABLE vendors;` },
  // ADD table_constraint: "Normally, this form will cause a scan of the table ... if the NOT VALID
  // option is used, this potentially-lengthy scan is skipped."
  {
    title: "CHECK without NOT VALID",
    rules: ["constraint-blocking"],
    sql: `{ack}\nALTER TABLE "assets" ADD CONSTRAINT "assets_name_check" CHECK (length("name") > 0);`,
  },
  {
    title: "FOREIGN KEY without NOT VALID",
    rules: ["constraint-blocking"],
    sql: `{ack}\nALTER TABLE reminders ADD CONSTRAINT reminders_vendor_fkey FOREIGN KEY (asset_id) REFERENCES assets (id);`,
  },
  {
    title: "UNIQUE without USING INDEX (builds the index under ACCESS EXCLUSIVE)",
    rules: ["constraint-blocking"],
    sql: `{ack}\nALTER TABLE vendors ADD CONSTRAINT vendors_tax_code_key UNIQUE (tax_code);`,
  },
  {
    title: "PRIMARY KEY without USING INDEX",
    rules: ["constraint-blocking"],
    sql: `ALTER TABLE vendors DROP CONSTRAINT vendors_pkey;\n{ack}\nALTER TABLE vendors ADD PRIMARY KEY (id);`,
  },
  {
    title: "VALIDATE CONSTRAINT in the migration that added it NOT VALID",
    rules: ["constraint-blocking"],
    sql: `ALTER TABLE assets ADD CONSTRAINT assets_name_check CHECK (length(name) > 0) NOT VALID;\n{ack}\nALTER TABLE assets VALIDATE CONSTRAINT assets_name_check;`,
  },
  {
    title: "ADD COLUMN with an inline REFERENCES",
    rules: ["constraint-blocking"],
    sql: `{ack}\nALTER TABLE reminders ADD COLUMN vendor_id uuid REFERENCES vendors (id);`,
  },
  // "Adding a column with a volatile DEFAULT ... will require the entire table and its indexes to be rewritten."
  {
    title: "ADD COLUMN DEFAULT gen_random_uuid()",
    rules: ["volatile-default"],
    sql: `{ack}\nALTER TABLE "vendors" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;`,
  },
  {
    title: "ADD COLUMN DEFAULT clock_timestamp()",
    rules: ["volatile-default"],
    sql: `{ack}\nALTER TABLE vendors ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();`,
  },
  {
    title: "ADD COLUMN DEFAULT random()",
    rules: ["volatile-default"],
    sql: `{ack}\nALTER TABLE vendors ADD COLUMN shard integer DEFAULT (random() * 16)::integer;`,
  },
  {
    title: "ADD COLUMN serial",
    rules: ["volatile-default"],
    sql: `{ack}\nALTER TABLE vendors ADD COLUMN seq bigserial;`,
  },
  {
    title: "ADD COLUMN with a function created VOLATILE (PostgreSQL's default) by a migration",
    rules: ["volatile-default"],
    earlier: [`CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;`],
    sql: `{ack}\nALTER TABLE vendors ADD COLUMN code text DEFAULT next_code();`,
  },
  // "CREATE INDEX CONCURRENTLY cannot" be executed inside a transaction block.
  {
    title: "CREATE INDEX CONCURRENTLY without the no-transaction marker",
    rules: ["concurrently-in-transaction"],
    sql: `-- creates the index online\n{ack}\nCREATE INDEX CONCURRENTLY idx_vendors_name ON vendors (name);`,
  },
  {
    title: "DROP INDEX CONCURRENTLY without the no-transaction marker",
    rules: ["concurrently-in-transaction"],
    sql: `{ack}\nDROP INDEX CONCURRENTLY IF EXISTS idx_locations_path;`,
  },
  {
    title: "no-transaction migration: an earlier statement that cannot run twice",
    rules: ["no-transaction-rerun"],
    sql: `-- migrate:no-transaction\n{ack}\nCREATE INDEX CONCURRENTLY idx_vendors_name ON vendors (name);--> statement-breakpoint\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_vendors_email ON vendors (email);`,
  },
];

/** New migrations PostgreSQL's documentation calls online (or harmless): the guard must pass them. */
export const CLEAN_FIXTURES: { title: string; migrations: string[] }[] = [
  {
    title:
      "ADD COLUMN nullable, with a constant DEFAULT NOT NULL, with DEFAULT now() (stable: no rewrite since PG 11)",
    migrations: [
      `ALTER TABLE "vendors" ADD COLUMN "fax" text;--> statement-breakpoint
ALTER TABLE "vendors" ADD COLUMN "rank" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vendors" ADD COLUMN "seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "vendors" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "vendors" ADD COLUMN "since" date DEFAULT CURRENT_DATE;`,
    ],
  },
  {
    title: "CHECK and FOREIGN KEY NOT VALID, VALIDATE in a later migration (SHARE UPDATE EXCLUSIVE)",
    migrations: [
      `ALTER TABLE assets ADD CONSTRAINT assets_name_check CHECK (length(name) > 0) NOT VALID;
ALTER TABLE reminders ADD CONSTRAINT reminders_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id) NOT VALID;`,
      `ALTER TABLE assets VALIDATE CONSTRAINT assets_name_check;
ALTER TABLE reminders VALIDATE CONSTRAINT reminders_asset_fk;`,
    ],
  },
  {
    title: "the drift helper's 0005/0006: closing value lists NOT VALID, then a custom VALIDATE migration",
    migrations: [
      `ALTER TABLE "asset_category_spec_defs" ADD CONSTRAINT "asset_category_spec_defs_field_type_check" CHECK ("asset_category_spec_defs"."field_type" IN ('string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac')) NOT VALID;--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" ADD CONSTRAINT "cmdb_ci_type_attr_defs_field_type_check" CHECK ("cmdb_ci_type_attr_defs"."field_type" IN ('string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac')) NOT VALID;--> statement-breakpoint
ALTER TABLE "ops_events" ADD CONSTRAINT "ops_events_entity_type_check" CHECK ("ops_events"."entity_type" IN ('asset', 'ci')) NOT VALID;`,
      `-- Custom SQL migration: validate the checks 0005 added NOT VALID (SHARE UPDATE EXCLUSIVE).
ALTER TABLE "asset_category_spec_defs" VALIDATE CONSTRAINT "asset_category_spec_defs_field_type_check";--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" VALIDATE CONSTRAINT "cmdb_ci_type_attr_defs_field_type_check";--> statement-breakpoint
ALTER TABLE "ops_events" VALIDATE CONSTRAINT "ops_events_entity_type_check";`,
    ],
  },
  {
    title: "the online SET NOT NULL: CHECK (col IS NOT NULL) NOT VALID, VALIDATE later, then SET NOT NULL",
    migrations: [
      `ALTER TABLE vendors ADD CONSTRAINT vendors_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;`,
      `UPDATE vendors SET phone = '' WHERE phone IS NULL;\nALTER TABLE vendors VALIDATE CONSTRAINT vendors_phone_not_null;`,
      `ALTER TABLE vendors ALTER COLUMN phone SET NOT NULL;\nALTER TABLE vendors DROP CONSTRAINT vendors_phone_not_null;`,
    ],
  },
  {
    title: "UNIQUE USING INDEX built CONCURRENTLY in a no-transaction migration",
    migrations: [
      `-- migrate:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY vendors_tax_code_idx ON vendors (tax_code);`,
      `ALTER TABLE vendors ADD CONSTRAINT vendors_tax_code_key UNIQUE USING INDEX vendors_tax_code_idx;`,
    ],
  },
  {
    title: "no-transaction migration whose earlier statements can run twice",
    migrations: [
      `-- migrate:no-transaction
SET lock_timeout = '5s';--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS idx_vendors_old;--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_vendors_name ON vendors (name);--> statement-breakpoint
CREATE INDEX CONCURRENTLY idx_vendors_email ON vendors (email);`,
    ],
  },
  {
    title: "anything on a table the same migration creates (empty, unused)",
    migrations: [
      `CREATE TABLE "parts_bin" ("id" uuid PRIMARY KEY, "n" integer, "label" text);--> statement-breakpoint
CREATE INDEX "parts_bin_n_idx" ON "parts_bin" ("n");--> statement-breakpoint
ALTER TABLE "parts_bin" ADD CONSTRAINT "parts_bin_n_check" CHECK ("n" > 0);--> statement-breakpoint
ALTER TABLE "parts_bin" ADD CONSTRAINT "parts_bin_label_key" UNIQUE ("label");--> statement-breakpoint
ALTER TABLE "parts_bin" ADD CONSTRAINT "parts_bin_vendor_fk" FOREIGN KEY ("id") REFERENCES "vendors" ("id");--> statement-breakpoint
ALTER TABLE "parts_bin" ADD COLUMN "kind" text NOT NULL;--> statement-breakpoint
ALTER TABLE "parts_bin" ADD COLUMN "token" uuid DEFAULT gen_random_uuid();--> statement-breakpoint
ALTER TABLE "parts_bin" ALTER COLUMN "n" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "parts_bin" ALTER COLUMN "n" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "parts_bin" RENAME COLUMN "label" TO "name";--> statement-breakpoint
ALTER TABLE "parts_bin" DROP COLUMN "token";--> statement-breakpoint
ALTER TABLE "parts_bin" RENAME TO "bins";--> statement-breakpoint
TRUNCATE "bins";--> statement-breakpoint
DROP TABLE "bins";`,
    ],
  },
  {
    title: "comments, string literals and function bodies are not statements",
    migrations: [
      `-- DROP TABLE vendors;
/* ALTER TABLE assets DROP COLUMN notes; */
COMMENT ON TABLE assets IS 'we never DROP TABLE assets; -- guard:allow drop-table really';
CREATE OR REPLACE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN DROP TABLE tmp_x; END $body$;`,
    ],
  },
  {
    title: "SET DEFAULT, DROP DEFAULT, DROP CONSTRAINT, DROP INDEX, triggers (catalog-only or brief)",
    migrations: [
      `ALTER TABLE vendors ALTER COLUMN phone SET DEFAULT '';
ALTER TABLE vendors ALTER COLUMN phone DROP DEFAULT;
ALTER TABLE vendors ALTER COLUMN name DROP NOT NULL;
ALTER TABLE assets DROP CONSTRAINT IF EXISTS assets_vlan_id_check;
DROP INDEX IF EXISTS idx_locations_path;
CREATE TRIGGER vendors_touch BEFORE UPDATE ON vendors FOR EACH ROW EXECUTE FUNCTION set_updated_at();`,
    ],
  },
];

export type LockMode =
  | "AccessShareLock"
  | "RowShareLock"
  | "RowExclusiveLock"
  | "ShareUpdateExclusiveLock"
  | "ShareLock"
  | "ShareRowExclusiveLock"
  | "ExclusiveLock"
  | "AccessExclusiveLock";

/** PostgreSQL's lock modes from weakest to strongest ("Explicit Locking", table-level locks). */
export const LOCK_ORDER: LockMode[] = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
];

export interface LockFixture {
  /** Committed before the statement runs (an earlier migration), undone by `cleanup` afterwards. */
  setup?: string;
  cleanup?: string;
  sql: string;
  /** The table whose lock and rewrite are observed. */
  table: string;
  /** The strongest lock the documentation says the statement takes on `table`. */
  lock: LockMode;
  /** True when the documentation says the table is rewritten (a new relfilenode). */
  rewrites: boolean;
  /** What the guard must say about the statement as a new migration (empty: nothing). */
  rules: GuardRule[];
}

export const LOCK_FIXTURES: LockFixture[] = [
  // "ADD table_constraint ... ACCESS EXCLUSIVE" for CHECK; the scan is skipped with NOT VALID.
  {
    sql: "ALTER TABLE vendors ADD CONSTRAINT v_name_check CHECK (length(name) > 0)",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: ["constraint-blocking"],
  },
  {
    sql: "ALTER TABLE vendors ADD CONSTRAINT v_name_check CHECK (length(name) > 0) NOT VALID",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: [],
  },
  // "Validation acquires only a SHARE UPDATE EXCLUSIVE lock on the table being altered."
  {
    setup: "ALTER TABLE vendors ADD CONSTRAINT v_name_check CHECK (length(name) > 0) NOT VALID",
    cleanup: "ALTER TABLE vendors DROP CONSTRAINT v_name_check",
    sql: "ALTER TABLE vendors VALIDATE CONSTRAINT v_name_check",
    table: "vendors",
    lock: "ShareUpdateExclusiveLock",
    rewrites: false,
    rules: [],
  },
  // "ADD FOREIGN KEY requires only a SHARE ROW EXCLUSIVE lock on the table being altered."
  {
    sql: "ALTER TABLE reminders ADD CONSTRAINT r_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id)",
    table: "reminders",
    lock: "ShareRowExclusiveLock",
    rewrites: false,
    rules: ["constraint-blocking"],
  },
  {
    sql: "ALTER TABLE reminders ADD CONSTRAINT r_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id) NOT VALID",
    table: "reminders",
    lock: "ShareRowExclusiveLock",
    rewrites: false,
    rules: [],
  },
  // CREATE INDEX: SHARE (blocks writes, not reads).
  {
    sql: "CREATE INDEX v_name_idx ON vendors (name)",
    table: "vendors",
    lock: "ShareLock",
    rewrites: false,
    rules: ["create-index-blocking"],
  },
  // Index-backed constraint: ACCESS EXCLUSIVE while the index is built.
  {
    sql: "ALTER TABLE vendors ADD CONSTRAINT v_tax_code_key UNIQUE (tax_code)",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: ["constraint-blocking"],
  },
  {
    setup: "CREATE UNIQUE INDEX CONCURRENTLY v_tax_code_idx ON vendors (tax_code)",
    cleanup: "DROP INDEX v_tax_code_idx",
    sql: "ALTER TABLE vendors ADD CONSTRAINT v_tax_code_key UNIQUE USING INDEX v_tax_code_idx",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: [],
  },
  // SET NOT NULL: ACCESS EXCLUSIVE with a scan (no valid CHECK here).
  {
    sql: "ALTER TABLE vendors ALTER COLUMN phone SET NOT NULL",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: ["not-null", "not-null-scan"],
  },
  // Column type: rewrite, except binary coercible (varchar -> text) where "a table rewrite is not needed".
  {
    sql: "ALTER TABLE vendors ALTER COLUMN phone TYPE bigint USING phone::bigint",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: true,
    rules: ["alter-type"],
  },
  {
    sql: "ALTER TABLE vendors ALTER COLUMN phone TYPE text",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: ["alter-type"],
  },
  // ADD COLUMN: "a volatile DEFAULT ... will require the entire table and its indexes to be
  // rewritten"; a non-volatile one is stored in the catalog.
  {
    sql: "ALTER TABLE vendors ADD COLUMN token uuid DEFAULT gen_random_uuid()",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: true,
    rules: ["volatile-default"],
  },
  {
    sql: "ALTER TABLE vendors ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp()",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: true,
    rules: ["volatile-default"],
  },
  {
    sql: "ALTER TABLE vendors ADD COLUMN seq bigserial",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: true,
    rules: ["volatile-default"],
  },
  {
    sql: "ALTER TABLE vendors ADD COLUMN seen_at timestamptz DEFAULT now()",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: [],
  },
  {
    sql: "ALTER TABLE vendors ADD COLUMN rank integer NOT NULL DEFAULT 0",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: [],
  },
  {
    sql: "ALTER TABLE vendors ALTER COLUMN phone SET DEFAULT ''",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: [],
  },
  {
    sql: "ALTER TABLE vendors RENAME COLUMN phone TO tel",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: ["rename"],
  },
  {
    sql: "ALTER TABLE vendors DROP COLUMN email",
    table: "vendors",
    lock: "AccessExclusiveLock",
    rewrites: false,
    rules: ["drop-column"],
  },
  // TRUNCATE: ACCESS EXCLUSIVE, a new (empty) relfilenode.
  {
    sql: "TRUNCATE reminders",
    table: "reminders",
    lock: "AccessExclusiveLock",
    rewrites: true,
    rules: ["drop-table"],
  },
];
