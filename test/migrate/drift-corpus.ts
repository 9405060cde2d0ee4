/**
 * The drift corpus: single changes to a migrated database, each written from the catalog column
 * PostgreSQL documents for that property (Chapter "System Catalogs": pg_class, pg_attribute,
 * pg_constraint, pg_index, pg_trigger, pg_policy, pg_proc, pg_sequence, pg_type, pg_extension, ...),
 * and what the drift check must report: the object and the property.
 *
 * The committed migrations create tables, constraints, indexes, triggers and one function only, so
 * CORPUS_MIGRATION adds one object of every other kind the check compares (a view, a materialized
 * view, a sequence, an enum, a domain, a composite type, a partitioned table, a policy, a
 * statistics object, an extension, a second schema, grants, an owner, comments): the scenarios
 * then change those as well. Used by test/migrate/drift-corpus.test.ts and by
 * scripts/drift-catch-rates.ts (the same scenarios judged by @pgkit/migra and by pg_dump).
 */
import type { DriftChange, DriftItem } from "../../src/migrate/drift.js";
import { readJournal } from "../../src/migrate/journal.js";
import { committedMigration, writeMigrationsFolder } from "./support.js";

export const CORPUS_MIGRATION = `
CREATE EXTENSION IF NOT EXISTS citext;
--> statement-breakpoint
CREATE SCHEMA corpus_util;
--> statement-breakpoint
CREATE FUNCTION corpus_util.slugify(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT lower(regexp_replace(value, '[^a-z0-9]+', '-', 'gi')) $$;
--> statement-breakpoint
CREATE TYPE corpus_mood AS ENUM ('calm', 'busy', 'down');
--> statement-breakpoint
CREATE DOMAIN corpus_percent AS numeric(5,2) DEFAULT 0 NOT NULL
  CONSTRAINT corpus_percent_range CHECK (VALUE >= 0 AND VALUE <= 100);
--> statement-breakpoint
CREATE TYPE corpus_point AS (x integer, y integer);
--> statement-breakpoint
CREATE SEQUENCE corpus_ticket_no AS integer START 1000 INCREMENT 5 MINVALUE 1000 MAXVALUE 999999 CACHE 1 NO CYCLE;
--> statement-breakpoint
CREATE TABLE corpus_items (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_no integer NOT NULL DEFAULT nextval('corpus_ticket_no'),
  mood corpus_mood NOT NULL DEFAULT 'calm',
  load corpus_percent,
  label text COLLATE "C",
  code text COLLATE "C",
  price numeric(10,2) NOT NULL DEFAULT 0,
  doubled numeric GENERATED ALWAYS AS (price * 2) STORED,
  vendor_id uuid REFERENCES vendors(id) DEFERRABLE,
  note text DEFAULT 'public.  x' CONSTRAINT corpus_items_note_check CHECK (note <> 'public.  x'),
  tenant text NOT NULL DEFAULT 'main'
);
--> statement-breakpoint
ALTER SEQUENCE corpus_ticket_no OWNED BY corpus_items.ticket_no;
--> statement-breakpoint
CREATE INDEX corpus_items_label_idx ON corpus_items (label) INCLUDE (price) WITH (fillfactor = 80) WHERE label IS NOT NULL;
--> statement-breakpoint
ALTER TABLE corpus_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY corpus_items_tenant ON corpus_items FOR SELECT TO PUBLIC USING (tenant = current_setting('app.tenant', true));
--> statement-breakpoint
CREATE POLICY corpus_items_write ON corpus_items FOR INSERT TO PUBLIC WITH CHECK (price >= 0);
--> statement-breakpoint
GRANT SELECT ON corpus_items TO PUBLIC;
--> statement-breakpoint
COMMENT ON TABLE corpus_items IS 'drift corpus';
--> statement-breakpoint
CREATE STATISTICS corpus_items_stats (dependencies) ON mood, tenant FROM corpus_items;
--> statement-breakpoint
CREATE FUNCTION corpus_touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  NEW.label := coalesce(NEW.label, TG_ARGV[0]);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION corpus_touch() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER corpus_items_touch BEFORE INSERT OR UPDATE OF label ON corpus_items
  FOR EACH ROW WHEN (NEW.price >= 0) EXECUTE FUNCTION corpus_touch('a');
--> statement-breakpoint
CREATE VIEW corpus_item_labels WITH (security_barrier = true) AS SELECT id, label FROM corpus_items WHERE label IS NOT NULL;
--> statement-breakpoint
ALTER VIEW corpus_item_labels OWNER TO pg_monitor;
--> statement-breakpoint
CREATE MATERIALIZED VIEW corpus_item_totals AS SELECT mood, count(*) AS n FROM corpus_items GROUP BY mood;
--> statement-breakpoint
CREATE UNIQUE INDEX corpus_item_totals_mood ON corpus_item_totals (mood);
--> statement-breakpoint
CREATE TABLE corpus_events (at date NOT NULL, what text) PARTITION BY RANGE (at);
--> statement-breakpoint
CREATE TABLE corpus_events_2024 PARTITION OF corpus_events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
--> statement-breakpoint
CREATE RULE corpus_items_keep AS ON DELETE TO corpus_items WHERE OLD.price > 1000 DO INSTEAD NOTHING;
--> statement-breakpoint
CREATE DOMAIN corpus_code AS varchar(20) COLLATE "C";
--> statement-breakpoint
CREATE TYPE corpus_span AS RANGE (subtype = integer);
--> statement-breakpoint
CREATE FUNCTION corpus_util.series(n integer) RETURNS SETOF integer LANGUAGE sql ROWS 10
  AS $$ SELECT generate_series(1, n) $$;
`;

/** A migrations folder: the committed migrations plus CORPUS_MIGRATION. */
export function corpusFolder(): string {
  const committed = readJournal().map((_, i) => committedMigration(i));
  const last = committed.at(-1)?.when ?? 0;
  return writeMigrationsFolder([
    ...committed,
    { tag: "9000_drift_corpus", when: last + 1000, sql: CORPUS_MIGRATION },
  ]);
}

export interface Expected {
  change: DriftChange;
  kind: string;
  /** `table.name` for what belongs to a table (or type), else the name; schema-qualified outside public. */
  object: string;
  /** For `changed`: the property that must be named. */
  property?: string;
}

export interface Scenario {
  name: string;
  /** The catalog column (or catalog) the scenario changes, from PostgreSQL's documentation. */
  catalog: string;
  /** The change, applied to a database migrated with CORPUS_MIGRATION. */
  sql: string;
  /** What drift must report; empty = an equivalence: drift must report nothing. */
  expect: Expected[];
  /** Other items the same change legitimately causes (e.g. a dropped identity drops its sequence). */
  sideEffects?: Expected[];
}

/** How an item is named in `Expected.object`. */
export function label(item: Pick<DriftItem, "kind" | "schema" | "table" | "name">): string {
  const schema = item.schema && item.schema !== "public" && item.kind !== "schema" ? `${item.schema}.` : "";
  const owner = item.table && item.table !== item.name ? `${item.table}.` : "";
  return `${schema}${owner}${item.name}`;
}

export function matches(item: DriftItem, e: Expected): boolean {
  if (item.change !== e.change || item.kind !== e.kind || label(item) !== e.object) return false;
  return e.property === undefined || (item.differences ?? []).some((d) => d.property === e.property);
}

const changed = (kind: string, object: string, property: string): Expected => ({
  change: "changed",
  kind,
  object,
  property,
});
const missing = (kind: string, object: string): Expected => ({ change: "missing", kind, object });
const unexpected = (kind: string, object: string): Expected => ({ change: "unexpected", kind, object });

const recreateTrigger = (definition: string) =>
  `DROP TRIGGER assets_set_updated_at ON assets; CREATE TRIGGER assets_set_updated_at ${definition}`;

export const SCENARIOS: Scenario[] = [
  // --- tables (pg_class) ---------------------------------------------------------------------
  {
    name: "table dropped",
    catalog: "pg_class",
    sql: "DROP TABLE audit_logs",
    expect: [missing("table", "audit_logs")],
  },
  {
    name: "table added",
    catalog: "pg_class",
    sql: "CREATE TABLE rogue_notes (id integer PRIMARY KEY, body text)",
    expect: [unexpected("table", "rogue_notes")],
  },
  {
    name: "table made UNLOGGED",
    catalog: "pg_class.relpersistence",
    sql: "ALTER TABLE audit_logs SET UNLOGGED",
    expect: [changed("table", "audit_logs", "persistence")],
  },
  {
    name: "row level security enabled",
    catalog: "pg_class.relrowsecurity",
    sql: "ALTER TABLE vendors ENABLE ROW LEVEL SECURITY",
    expect: [changed("table", "vendors", "row level security")],
  },
  {
    name: "row level security disabled",
    catalog: "pg_class.relrowsecurity",
    sql: "ALTER TABLE corpus_items DISABLE ROW LEVEL SECURITY",
    expect: [changed("table", "corpus_items", "row level security")],
  },
  {
    name: "row level security forced",
    catalog: "pg_class.relforcerowsecurity",
    sql: "ALTER TABLE vendors FORCE ROW LEVEL SECURITY",
    expect: [changed("table", "vendors", "force row level security")],
  },
  {
    name: "replica identity full",
    catalog: "pg_class.relreplident",
    sql: "ALTER TABLE vendors REPLICA IDENTITY FULL",
    expect: [changed("table", "vendors", "replica identity")],
  },
  {
    name: "table storage parameter",
    catalog: "pg_class.reloptions",
    sql: "ALTER TABLE vendors SET (fillfactor = 70)",
    expect: [changed("table", "vendors", "storage parameters")],
  },
  {
    name: "table comment added",
    catalog: "pg_description",
    sql: "COMMENT ON TABLE vendors IS 'suppliers'",
    expect: [changed("table", "vendors", "comment")],
  },
  {
    name: "table comment changed",
    catalog: "pg_description",
    sql: "COMMENT ON TABLE corpus_items IS 'drift  corpus'",
    expect: [changed("table", "corpus_items", "comment")],
  },
  {
    name: "table privilege granted",
    catalog: "pg_class.relacl",
    sql: "GRANT SELECT, INSERT ON vendors TO PUBLIC",
    expect: [changed("table", "vendors", "privileges")],
  },
  {
    name: "table privilege revoked",
    catalog: "pg_class.relacl",
    sql: "REVOKE SELECT ON corpus_items FROM PUBLIC",
    expect: [changed("table", "corpus_items", "privileges")],
  },
  {
    name: "partition detached",
    catalog: "pg_class.relpartbound / pg_inherits",
    sql: "ALTER TABLE corpus_events DETACH PARTITION corpus_events_2024",
    expect: [changed("table", "corpus_events_2024", "partition of")],
  },
  {
    name: "partition key",
    catalog: "pg_partitioned_table.partattrs",
    sql: "DROP TABLE corpus_events; CREATE TABLE corpus_events (at date NOT NULL, what text) PARTITION BY LIST (what); CREATE TABLE corpus_events_2024 PARTITION OF corpus_events FOR VALUES IN ('2024')",
    expect: [changed("table", "corpus_events", "partition key")],
    sideEffects: [changed("table", "corpus_events_2024", "partition of")],
  },
  {
    name: "table inherits from another",
    catalog: "pg_inherits",
    sql: "CREATE TABLE rogue_parent (action varchar(100)); ALTER TABLE audit_logs INHERIT rogue_parent",
    expect: [changed("table", "audit_logs", "inherits")],
    sideEffects: [unexpected("table", "rogue_parent")],
  },
  {
    name: "owner of a table the migrations never assign (not compared)",
    catalog: "pg_class.relowner",
    // corpus_items: the committed tables are all given to netops_owner by roles_grants_append_only.
    sql: "ALTER TABLE corpus_items OWNER TO pg_monitor",
    expect: [],
  },
  {
    name: "owner the migrations set, changed",
    catalog: "pg_class.relowner",
    sql: "ALTER VIEW corpus_item_labels OWNER TO CURRENT_USER",
    expect: [changed("view", "corpus_item_labels", "owner")],
  },

  // --- columns (pg_attribute, pg_attrdef) ----------------------------------------------------
  {
    name: "column type",
    catalog: "pg_attribute.atttypid/atttypmod",
    sql: "ALTER TABLE vendors ALTER COLUMN phone TYPE varchar(80)",
    expect: [changed("column", "vendors.phone", "type")],
  },
  {
    name: "column type from a domain to its base type",
    catalog: "pg_attribute.atttypid",
    sql: "ALTER TABLE corpus_items ALTER COLUMN load TYPE numeric(5,2)",
    expect: [changed("column", "corpus_items.load", "type")],
  },
  {
    name: "column NOT NULL",
    catalog: "pg_attribute.attnotnull",
    sql: "ALTER TABLE assets ALTER COLUMN serial_no SET NOT NULL",
    expect: [changed("column", "assets.serial_no", "nullability")],
  },
  {
    name: "column default changed",
    catalog: "pg_attrdef.adbin",
    sql: "ALTER TABLE assets ALTER COLUMN status SET DEFAULT 'in_use'",
    expect: [changed("column", "assets.status", "default")],
  },
  {
    name: "column default dropped",
    catalog: "pg_attrdef",
    sql: "ALTER TABLE assets ALTER COLUMN status DROP DEFAULT",
    expect: [changed("column", "assets.status", "default")],
  },
  {
    name: "numeric default with another value",
    catalog: "pg_attrdef.adbin",
    sql: "ALTER TABLE corpus_items ALTER COLUMN price SET DEFAULT 1",
    expect: [changed("column", "corpus_items.price", "default")],
  },
  {
    name: "numeric default spelled '0.00'::numeric (same value: equivalence)",
    catalog: "pg_attrdef.adbin",
    sql: "ALTER TABLE corpus_items ALTER COLUMN price SET DEFAULT '0.00'::numeric",
    expect: [],
  },
  {
    name: "text default 'public. x' instead of 'public.  x' (literal kept as written)",
    catalog: "pg_attrdef.adbin",
    sql: "ALTER TABLE corpus_items ALTER COLUMN note SET DEFAULT 'public. x'",
    expect: [changed("column", "corpus_items.note", "default")],
  },
  {
    name: "column collation",
    catalog: "pg_attribute.attcollation",
    sql: `ALTER TABLE vendors ALTER COLUMN name TYPE varchar(255) COLLATE "C"`,
    expect: [changed("column", "vendors.name", "collation")],
  },
  {
    name: "column collation back to the type's default",
    catalog: "pg_attribute.attcollation",
    sql: `ALTER TABLE corpus_items ALTER COLUMN code TYPE text COLLATE "default"`,
    expect: [changed("column", "corpus_items.code", "collation")],
  },
  {
    name: "identity ALWAYS -> BY DEFAULT",
    catalog: "pg_attribute.attidentity",
    sql: "ALTER TABLE corpus_items ALTER COLUMN id SET GENERATED BY DEFAULT",
    expect: [changed("column", "corpus_items.id", "identity")],
  },
  {
    name: "identity dropped",
    catalog: "pg_attribute.attidentity",
    sql: "ALTER TABLE corpus_items ALTER COLUMN id DROP IDENTITY",
    expect: [changed("column", "corpus_items.id", "identity")],
    sideEffects: [missing("sequence", "corpus_items_id_seq")],
  },
  {
    name: "generated column made plain",
    catalog: "pg_attribute.attgenerated",
    sql: "ALTER TABLE corpus_items ALTER COLUMN doubled DROP EXPRESSION",
    expect: [changed("column", "corpus_items.doubled", "generated")],
  },
  {
    name: "column storage",
    catalog: "pg_attribute.attstorage",
    sql: "ALTER TABLE vendors ALTER COLUMN address SET STORAGE EXTERNAL",
    expect: [changed("column", "vendors.address", "storage")],
  },
  {
    name: "column compression",
    catalog: "pg_attribute.attcompression",
    sql: "ALTER TABLE vendors ALTER COLUMN address SET COMPRESSION pglz",
    expect: [changed("column", "vendors.address", "compression")],
  },
  {
    name: "column statistics target",
    catalog: "pg_attribute.attstattarget",
    sql: "ALTER TABLE vendors ALTER COLUMN name SET STATISTICS 500",
    expect: [changed("column", "vendors.name", "statistics target")],
  },
  {
    name: "column option n_distinct",
    catalog: "pg_attribute.attoptions",
    sql: "ALTER TABLE vendors ALTER COLUMN name SET (n_distinct = 100)",
    expect: [changed("column", "vendors.name", "options")],
  },
  {
    name: "column privilege",
    catalog: "pg_attribute.attacl",
    sql: "GRANT SELECT (name) ON vendors TO PUBLIC",
    expect: [changed("column", "vendors.name", "privileges")],
  },
  {
    name: "column comment",
    catalog: "pg_description",
    sql: "COMMENT ON COLUMN vendors.name IS 'legal name'",
    expect: [changed("column", "vendors.name", "comment")],
  },
  {
    name: "column added",
    catalog: "pg_attribute",
    sql: "ALTER TABLE vendors ADD COLUMN fax text",
    expect: [unexpected("column", "vendors.fax")],
  },
  {
    name: "column dropped",
    catalog: "pg_attribute.attisdropped",
    sql: "ALTER TABLE vendors DROP COLUMN tax_code",
    expect: [missing("column", "vendors.tax_code")],
  },

  // --- constraints (pg_constraint) -----------------------------------------------------------
  {
    name: "check constraint definition",
    catalog: "pg_constraint.conbin",
    sql: "ALTER TABLE inventory_items DROP CONSTRAINT inventory_items_status_check, ADD CONSTRAINT inventory_items_status_check CHECK (status IN ('found', 'missing'))",
    expect: [changed("constraint", "inventory_items.inventory_items_status_check", "definition")],
  },
  {
    name: "check literal 'public. x' instead of 'public.  x'",
    catalog: "pg_constraint.conbin",
    sql: "ALTER TABLE corpus_items DROP CONSTRAINT corpus_items_note_check, ADD CONSTRAINT corpus_items_note_check CHECK (note <> 'public. x')",
    expect: [changed("constraint", "corpus_items.corpus_items_note_check", "definition")],
  },
  {
    name: "constraint dropped",
    catalog: "pg_constraint",
    sql: "ALTER TABLE assets DROP CONSTRAINT assets_status_check",
    expect: [missing("constraint", "assets.assets_status_check")],
  },
  {
    name: "constraint added",
    catalog: "pg_constraint",
    sql: "ALTER TABLE vendors ADD CONSTRAINT vendors_name_check CHECK (name <> '')",
    expect: [unexpected("constraint", "vendors.vendors_name_check")],
  },
  {
    name: "primary key dropped",
    catalog: "pg_constraint (contype p)",
    sql: "ALTER TABLE audit_logs DROP CONSTRAINT audit_logs_pkey",
    expect: [missing("constraint", "audit_logs.audit_logs_pkey")],
    sideEffects: [
      missing("index", "audit_logs.audit_logs_pkey"),
      changed("column", "audit_logs.id", "nullability"),
    ],
  },
  {
    name: "check constraint NOT VALID",
    catalog: "pg_constraint.convalidated",
    sql: "ALTER TABLE assets DROP CONSTRAINT assets_vlan_id_check, ADD CONSTRAINT assets_vlan_id_check CHECK (vlan_id >= 1 AND vlan_id <= 4094) NOT VALID",
    expect: [changed("constraint", "assets.assets_vlan_id_check", "validated")],
  },
  {
    name: "foreign key NOT VALID",
    catalog: "pg_constraint.convalidated",
    sql: "ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey, ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID",
    expect: [changed("constraint", "sessions.sessions_user_id_fkey", "validated")],
  },
  {
    name: "foreign key DEFERRABLE",
    catalog: "pg_constraint.condeferrable",
    sql: "ALTER TABLE assets ALTER CONSTRAINT assets_model_id_fkey DEFERRABLE",
    expect: [changed("constraint", "assets.assets_model_id_fkey", "deferrable")],
  },
  {
    name: "foreign key INITIALLY DEFERRED",
    catalog: "pg_constraint.condeferred",
    sql: "ALTER TABLE corpus_items ALTER CONSTRAINT corpus_items_vendor_id_fkey DEFERRABLE INITIALLY DEFERRED",
    expect: [changed("constraint", "corpus_items.corpus_items_vendor_id_fkey", "initially deferred")],
  },
  {
    name: "foreign key ON DELETE action",
    catalog: "pg_constraint.confdeltype",
    sql: "ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey, ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
    expect: [changed("constraint", "sessions.sessions_user_id_fkey", "definition")],
  },
  {
    name: "unique constraint columns",
    catalog: "pg_constraint.conkey",
    sql: "ALTER TABLE assets DROP CONSTRAINT assets_asset_code_key, ADD CONSTRAINT assets_asset_code_key UNIQUE (asset_code, serial_no)",
    expect: [changed("constraint", "assets.assets_asset_code_key", "definition")],
    sideEffects: [
      changed("index", "assets.assets_asset_code_key", "columns"),
      changed("index", "assets.assets_asset_code_key", "operator classes"),
      changed("index", "assets.assets_asset_code_key", "collations"),
      changed("index", "assets.assets_asset_code_key", "order"),
    ],
  },
  {
    name: "check NO INHERIT",
    catalog: "pg_constraint.connoinherit",
    sql: "ALTER TABLE corpus_items DROP CONSTRAINT corpus_items_note_check, ADD CONSTRAINT corpus_items_note_check CHECK (note <> 'public.  x') NO INHERIT",
    expect: [changed("constraint", "corpus_items.corpus_items_note_check", "no inherit")],
  },
  {
    name: "constraint of another type under the same name",
    catalog: "pg_constraint.contype",
    sql: "ALTER TABLE assets DROP CONSTRAINT assets_asset_code_key, ADD CONSTRAINT assets_asset_code_key CHECK (asset_code <> '')",
    expect: [changed("constraint", "assets.assets_asset_code_key", "type")],
    sideEffects: [
      changed("constraint", "assets.assets_asset_code_key", "definition"),
      // PostgreSQL marks keys NO INHERIT, checks not.
      changed("constraint", "assets.assets_asset_code_key", "no inherit"),
      missing("index", "assets.assets_asset_code_key"),
    ],
  },
  {
    name: "constraint comment",
    catalog: "pg_description",
    sql: "COMMENT ON CONSTRAINT assets_status_check ON assets IS 'lifecycle'",
    expect: [changed("constraint", "assets.assets_status_check", "comment")],
  },

  // --- indexes (pg_index, pg_class of the index) ---------------------------------------------
  {
    name: "index not ready",
    catalog: "pg_index.indisready",
    sql: "UPDATE pg_index SET indisready = false WHERE indexrelid = 'idx_assets_status'::regclass",
    expect: [changed("index", "assets.idx_assets_status", "ready")],
  },
  {
    name: "index invalid (catalog state)",
    catalog: "pg_index.indisvalid",
    sql: "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_assets_mgmt_ip'::regclass",
    expect: [changed("index", "assets.idx_assets_mgmt_ip", "valid")],
  },
  {
    name: "index made unique",
    catalog: "pg_index.indisunique",
    sql: "DROP INDEX idx_assets_mgmt_ip; CREATE UNIQUE INDEX idx_assets_mgmt_ip ON assets (mgmt_ip)",
    expect: [changed("index", "assets.idx_assets_mgmt_ip", "unique")],
  },
  {
    name: "partial index predicate",
    catalog: "pg_index.indpred",
    sql: "DROP INDEX idx_asset_assignments_asset_id_open; CREATE UNIQUE INDEX idx_asset_assignments_asset_id_open ON asset_assignments (asset_id) WHERE returned_at IS NOT NULL",
    expect: [changed("index", "asset_assignments.idx_asset_assignments_asset_id_open", "predicate")],
  },
  {
    name: "partial index predicate dropped",
    catalog: "pg_index.indpred",
    sql: "DROP INDEX corpus_items_label_idx; CREATE INDEX corpus_items_label_idx ON corpus_items (label) INCLUDE (price) WITH (fillfactor = 80)",
    expect: [changed("index", "corpus_items.corpus_items_label_idx", "predicate")],
  },
  {
    name: "index operator class",
    catalog: "pg_index.indclass",
    sql: "DROP INDEX idx_locations_path; CREATE INDEX idx_locations_path ON locations (path)",
    expect: [changed("index", "locations.idx_locations_path", "operator classes")],
  },
  {
    name: "index column order DESC -> ASC",
    catalog: "pg_index.indoption",
    sql: "DROP INDEX idx_asset_events_asset; CREATE INDEX idx_asset_events_asset ON asset_events (asset_id, created_at)",
    expect: [changed("index", "asset_events.idx_asset_events_asset", "order")],
  },
  {
    name: "index NULLS LAST on a DESC column",
    catalog: "pg_index.indoption",
    sql: "DROP INDEX idx_asset_events_asset; CREATE INDEX idx_asset_events_asset ON asset_events (asset_id, created_at DESC NULLS LAST)",
    expect: [changed("index", "asset_events.idx_asset_events_asset", "order")],
  },
  {
    name: "index access method",
    catalog: "pg_class.relam (index)",
    sql: "DROP INDEX idx_assets_status; CREATE INDEX idx_assets_status ON assets USING hash (status)",
    expect: [changed("index", "assets.idx_assets_status", "method")],
    sideEffects: [changed("index", "assets.idx_assets_status", "operator classes")],
  },
  {
    name: "index columns",
    catalog: "pg_index.indkey",
    sql: "DROP INDEX idx_assets_status; CREATE INDEX idx_assets_status ON assets (status, location_id)",
    expect: [changed("index", "assets.idx_assets_status", "columns")],
    // One more key column: one more operator class, collation and order entry.
    sideEffects: [
      changed("index", "assets.idx_assets_status", "operator classes"),
      changed("index", "assets.idx_assets_status", "collations"),
      changed("index", "assets.idx_assets_status", "order"),
    ],
  },
  {
    name: "index INCLUDE columns",
    catalog: "pg_index.indnkeyatts",
    sql: "DROP INDEX corpus_items_label_idx; CREATE INDEX corpus_items_label_idx ON corpus_items (label) WITH (fillfactor = 80) WHERE label IS NOT NULL",
    expect: [changed("index", "corpus_items.corpus_items_label_idx", "include")],
  },
  {
    name: "index collation",
    catalog: "pg_index.indcollation",
    sql: `DROP INDEX idx_assets_status; CREATE INDEX idx_assets_status ON assets (status COLLATE "C")`,
    expect: [changed("index", "assets.idx_assets_status", "collations")],
  },
  {
    name: "index storage parameter",
    catalog: "pg_class.reloptions (index)",
    sql: "ALTER INDEX idx_assets_status SET (fillfactor = 50)",
    expect: [changed("index", "assets.idx_assets_status", "storage parameters")],
  },
  {
    name: "unique index NULLS NOT DISTINCT",
    catalog: "pg_index.indnullsnotdistinct",
    sql: "DROP INDEX idx_asset_assignments_asset_id_open; CREATE UNIQUE INDEX idx_asset_assignments_asset_id_open ON asset_assignments (asset_id) NULLS NOT DISTINCT WHERE returned_at IS NULL",
    expect: [changed("index", "asset_assignments.idx_asset_assignments_asset_id_open", "nulls not distinct")],
  },
  {
    name: "table clustered on an index",
    catalog: "pg_index.indisclustered",
    sql: "ALTER TABLE assets CLUSTER ON idx_assets_status",
    expect: [changed("index", "assets.idx_assets_status", "clustered")],
  },
  {
    name: "replica identity using an index",
    catalog: "pg_index.indisreplident",
    sql: "ALTER TABLE assets REPLICA IDENTITY USING INDEX assets_asset_code_key",
    expect: [changed("index", "assets.assets_asset_code_key", "replica identity")],
    sideEffects: [changed("table", "assets", "replica identity")],
  },
  {
    name: "index comment",
    catalog: "pg_description",
    sql: "COMMENT ON INDEX idx_assets_status IS 'status filter'",
    expect: [changed("index", "assets.idx_assets_status", "comment")],
  },
  {
    name: "index dropped",
    catalog: "pg_index",
    sql: "DROP INDEX idx_assets_mgmt_ip",
    expect: [missing("index", "assets.idx_assets_mgmt_ip")],
  },
  {
    name: "index added",
    catalog: "pg_index",
    sql: "CREATE INDEX rogue_vendors_email ON vendors (lower(email))",
    expect: [unexpected("index", "vendors.rogue_vendors_email")],
  },
  {
    name: "index on a materialized view dropped",
    catalog: "pg_index",
    sql: "DROP INDEX corpus_item_totals_mood",
    expect: [missing("index", "corpus_item_totals.corpus_item_totals_mood")],
  },

  // --- triggers (pg_trigger) -----------------------------------------------------------------
  {
    name: "trigger DISABLEd",
    catalog: "pg_trigger.tgenabled = D",
    sql: "ALTER TABLE assets DISABLE TRIGGER assets_set_updated_at",
    expect: [changed("trigger", "assets.assets_set_updated_at", "enabled")],
  },
  {
    name: "trigger ENABLE REPLICA",
    catalog: "pg_trigger.tgenabled = R",
    sql: "ALTER TABLE assets ENABLE REPLICA TRIGGER assets_set_updated_at",
    expect: [changed("trigger", "assets.assets_set_updated_at", "enabled")],
  },
  {
    name: "trigger ENABLE ALWAYS",
    catalog: "pg_trigger.tgenabled = A",
    sql: "ALTER TABLE assets ENABLE ALWAYS TRIGGER assets_set_updated_at",
    expect: [changed("trigger", "assets.assets_set_updated_at", "enabled")],
  },
  {
    name: "trigger timing",
    catalog: "pg_trigger.tgtype (BEFORE/AFTER)",
    sql: recreateTrigger("AFTER UPDATE ON assets FOR EACH ROW EXECUTE FUNCTION set_updated_at()"),
    expect: [changed("trigger", "assets.assets_set_updated_at", "timing")],
  },
  {
    name: "trigger events",
    catalog: "pg_trigger.tgtype (events)",
    sql: recreateTrigger("BEFORE INSERT OR UPDATE ON assets FOR EACH ROW EXECUTE FUNCTION set_updated_at()"),
    expect: [changed("trigger", "assets.assets_set_updated_at", "events")],
  },
  {
    name: "trigger level",
    catalog: "pg_trigger.tgtype (ROW)",
    sql: recreateTrigger("BEFORE UPDATE ON assets FOR EACH STATEMENT EXECUTE FUNCTION set_updated_at()"),
    expect: [changed("trigger", "assets.assets_set_updated_at", "level")],
  },
  {
    name: "trigger WHEN condition added",
    catalog: "pg_trigger.tgqual",
    sql: recreateTrigger(
      "BEFORE UPDATE ON assets FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION set_updated_at()",
    ),
    expect: [changed("trigger", "assets.assets_set_updated_at", "when")],
  },
  {
    name: "trigger WHEN condition changed",
    catalog: "pg_trigger.tgqual",
    sql: "DROP TRIGGER corpus_items_touch ON corpus_items; CREATE TRIGGER corpus_items_touch BEFORE INSERT OR UPDATE OF label ON corpus_items FOR EACH ROW WHEN (NEW.price > 0) EXECUTE FUNCTION corpus_touch('a')",
    expect: [changed("trigger", "corpus_items.corpus_items_touch", "when")],
  },
  {
    name: "trigger function",
    catalog: "pg_trigger.tgfoid",
    sql: "DROP TRIGGER corpus_items_touch ON corpus_items; CREATE TRIGGER corpus_items_touch BEFORE INSERT OR UPDATE OF label ON corpus_items FOR EACH ROW WHEN (NEW.price >= 0) EXECUTE FUNCTION set_updated_at()",
    expect: [changed("trigger", "corpus_items.corpus_items_touch", "function")],
    sideEffects: [changed("trigger", "corpus_items.corpus_items_touch", "arguments")],
  },
  {
    name: "trigger arguments",
    catalog: "pg_trigger.tgargs",
    sql: "DROP TRIGGER corpus_items_touch ON corpus_items; CREATE TRIGGER corpus_items_touch BEFORE INSERT OR UPDATE OF label ON corpus_items FOR EACH ROW WHEN (NEW.price >= 0) EXECUTE FUNCTION corpus_touch('b')",
    expect: [changed("trigger", "corpus_items.corpus_items_touch", "arguments")],
  },
  {
    name: "trigger UPDATE OF columns",
    catalog: "pg_trigger.tgattr",
    sql: "DROP TRIGGER corpus_items_touch ON corpus_items; CREATE TRIGGER corpus_items_touch BEFORE INSERT OR UPDATE OF label, price ON corpus_items FOR EACH ROW WHEN (NEW.price >= 0) EXECUTE FUNCTION corpus_touch('a')",
    expect: [changed("trigger", "corpus_items.corpus_items_touch", "events")],
  },
  {
    name: "constraint trigger, deferrable",
    catalog: "pg_trigger.tgconstraint / tgdeferrable / tginitdeferred",
    sql: recreateTrigger(
      "AFTER UPDATE ON assets DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION set_updated_at()",
    ).replace("CREATE TRIGGER", "CREATE CONSTRAINT TRIGGER"),
    expect: [
      changed("trigger", "assets.assets_set_updated_at", "constraint trigger"),
      changed("trigger", "assets.assets_set_updated_at", "deferrable"),
      changed("trigger", "assets.assets_set_updated_at", "initially deferred"),
    ],
    sideEffects: [changed("trigger", "assets.assets_set_updated_at", "timing")],
  },
  {
    name: "trigger transition table",
    catalog: "pg_trigger.tgnewtable",
    sql: recreateTrigger(
      "AFTER UPDATE ON assets REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION set_updated_at()",
    ),
    expect: [changed("trigger", "assets.assets_set_updated_at", "transition tables")],
    sideEffects: [
      changed("trigger", "assets.assets_set_updated_at", "timing"),
      changed("trigger", "assets.assets_set_updated_at", "level"),
    ],
  },
  {
    name: "trigger dropped",
    catalog: "pg_trigger",
    sql: "DROP TRIGGER assets_set_updated_at ON assets",
    expect: [missing("trigger", "assets.assets_set_updated_at")],
  },
  {
    name: "trigger added",
    catalog: "pg_trigger",
    sql: "CREATE TRIGGER rogue_vendors_touch BEFORE UPDATE ON vendors FOR EACH ROW EXECUTE FUNCTION set_updated_at()",
    expect: [unexpected("trigger", "vendors.rogue_vendors_touch")],
  },
  {
    name: "trigger comment",
    catalog: "pg_description",
    sql: "COMMENT ON TRIGGER assets_set_updated_at ON assets IS 'keeps updated_at'",
    expect: [changed("trigger", "assets.assets_set_updated_at", "comment")],
  },

  // --- policies (pg_policy) ------------------------------------------------------------------
  {
    name: "policy USING expression",
    catalog: "pg_policy.polqual",
    sql: "ALTER POLICY corpus_items_tenant ON corpus_items USING (tenant = 'main')",
    expect: [changed("policy", "corpus_items.corpus_items_tenant", "using")],
  },
  {
    name: "policy WITH CHECK expression",
    catalog: "pg_policy.polwithcheck",
    sql: "ALTER POLICY corpus_items_write ON corpus_items WITH CHECK (price > 0)",
    expect: [changed("policy", "corpus_items.corpus_items_write", "with check")],
  },
  {
    name: "policy roles",
    catalog: "pg_policy.polroles",
    sql: "ALTER POLICY corpus_items_tenant ON corpus_items TO pg_monitor",
    expect: [changed("policy", "corpus_items.corpus_items_tenant", "roles")],
  },
  {
    name: "policy command",
    catalog: "pg_policy.polcmd",
    sql: "DROP POLICY corpus_items_tenant ON corpus_items; CREATE POLICY corpus_items_tenant ON corpus_items FOR ALL TO PUBLIC USING (tenant = current_setting('app.tenant', true))",
    expect: [changed("policy", "corpus_items.corpus_items_tenant", "command")],
  },
  {
    name: "policy RESTRICTIVE",
    catalog: "pg_policy.polpermissive",
    sql: "DROP POLICY corpus_items_tenant ON corpus_items; CREATE POLICY corpus_items_tenant ON corpus_items AS RESTRICTIVE FOR SELECT TO PUBLIC USING (tenant = current_setting('app.tenant', true))",
    expect: [changed("policy", "corpus_items.corpus_items_tenant", "permissive")],
  },
  {
    name: "policy dropped",
    catalog: "pg_policy",
    sql: "DROP POLICY corpus_items_write ON corpus_items",
    expect: [missing("policy", "corpus_items.corpus_items_write")],
  },
  {
    name: "policy added",
    catalog: "pg_policy",
    sql: "CREATE POLICY rogue_all ON vendors USING (true)",
    expect: [unexpected("policy", "vendors.rogue_all")],
  },
  {
    name: "policy comment",
    catalog: "pg_description",
    sql: "COMMENT ON POLICY corpus_items_write ON corpus_items IS 'writers'",
    expect: [changed("policy", "corpus_items.corpus_items_write", "comment")],
  },

  // --- functions (pg_proc) -------------------------------------------------------------------
  {
    name: "function body",
    catalog: "pg_proc.prosrc",
    sql: `CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := clock_timestamp();
  END IF;
  RETURN NEW;
END;
$$`,
    expect: [changed("function", "set_updated_at()", "body")],
  },
  {
    name: "function volatility",
    catalog: "pg_proc.provolatile",
    sql: "ALTER FUNCTION corpus_util.slugify(text) VOLATILE",
    expect: [changed("function", "corpus_util.slugify(value text)", "volatility")],
  },
  {
    name: "function SECURITY INVOKER",
    catalog: "pg_proc.prosecdef",
    sql: "ALTER FUNCTION corpus_touch() SECURITY INVOKER",
    expect: [changed("function", "corpus_touch()", "security")],
  },
  {
    name: "function configuration",
    catalog: "pg_proc.proconfig",
    sql: "ALTER FUNCTION corpus_touch() RESET search_path",
    expect: [changed("function", "corpus_touch()", "configuration")],
  },
  {
    name: "function STRICT",
    catalog: "pg_proc.proisstrict",
    sql: "ALTER FUNCTION corpus_util.slugify(text) CALLED ON NULL INPUT",
    expect: [changed("function", "corpus_util.slugify(value text)", "strict")],
  },
  {
    name: "function language",
    catalog: "pg_proc.prolang",
    sql: "CREATE OR REPLACE FUNCTION corpus_util.slugify(value text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN RETURN lower(regexp_replace(value, '[^a-z0-9]+', '-', 'gi')); END $$",
    expect: [changed("function", "corpus_util.slugify(value text)", "language")],
    sideEffects: [changed("function", "corpus_util.slugify(value text)", "body")],
  },
  {
    name: "function LEAKPROOF",
    catalog: "pg_proc.proleakproof",
    sql: "ALTER FUNCTION corpus_util.slugify(text) LEAKPROOF",
    expect: [changed("function", "corpus_util.slugify(value text)", "leakproof")],
  },
  {
    name: "function PARALLEL",
    catalog: "pg_proc.proparallel",
    sql: "ALTER FUNCTION corpus_util.slugify(text) PARALLEL SAFE",
    expect: [changed("function", "corpus_util.slugify(value text)", "parallel")],
  },
  {
    name: "function COST",
    catalog: "pg_proc.procost",
    sql: "ALTER FUNCTION corpus_util.slugify(text) COST 5",
    expect: [changed("function", "corpus_util.slugify(value text)", "cost")],
  },
  {
    name: "function return type",
    catalog: "pg_proc.prorettype",
    sql: "DROP FUNCTION corpus_util.slugify(text); CREATE FUNCTION corpus_util.slugify(value text) RETURNS varchar LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(regexp_replace(value, '[^a-z0-9]+', '-', 'gi')) $$",
    expect: [changed("function", "corpus_util.slugify(value text)", "returns")],
  },
  {
    name: "function argument renamed",
    catalog: "pg_proc.proargnames",
    sql: "DROP FUNCTION corpus_util.series(integer); CREATE FUNCTION corpus_util.series(how_many integer) RETURNS SETOF integer LANGUAGE sql ROWS 10 AS $$ SELECT generate_series(1, how_many) $$",
    expect: [changed("function", "corpus_util.series(n integer)", "arguments")],
    sideEffects: [changed("function", "corpus_util.series(n integer)", "body")],
  },
  {
    name: "function argument default",
    catalog: "pg_proc.proargdefaults",
    sql: "DROP FUNCTION corpus_util.slugify(text); CREATE FUNCTION corpus_util.slugify(value text DEFAULT 'x') RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(regexp_replace(value, '[^a-z0-9]+', '-', 'gi')) $$",
    expect: [changed("function", "corpus_util.slugify(value text)", "arguments")],
  },
  {
    name: "function made a procedure",
    catalog: "pg_proc.prokind",
    sql: "DROP FUNCTION corpus_util.slugify(text); CREATE PROCEDURE corpus_util.slugify(value text) LANGUAGE sql AS $$ SELECT lower(value) $$",
    expect: [changed("function", "corpus_util.slugify(value text)", "kind")],
    sideEffects: [
      changed("function", "corpus_util.slugify(value text)", "returns"),
      // A procedure's arguments print with their mode: IN value text.
      changed("function", "corpus_util.slugify(value text)", "arguments"),
      changed("function", "corpus_util.slugify(value text)", "body"),
      changed("function", "corpus_util.slugify(value text)", "volatility"),
      changed("function", "corpus_util.slugify(value text)", "strict"),
    ],
  },
  {
    name: "function ROWS estimate",
    catalog: "pg_proc.prorows",
    sql: "ALTER FUNCTION corpus_util.series(integer) ROWS 100",
    expect: [changed("function", "corpus_util.series(n integer)", "rows")],
  },
  {
    name: "function privilege",
    catalog: "pg_proc.proacl",
    sql: "GRANT EXECUTE ON FUNCTION corpus_touch() TO PUBLIC",
    expect: [changed("function", "corpus_touch()", "privileges")],
  },
  {
    name: "function comment",
    catalog: "pg_description",
    sql: "COMMENT ON FUNCTION set_updated_at() IS 'trigger'",
    expect: [changed("function", "set_updated_at()", "comment")],
  },
  {
    name: "function dropped",
    catalog: "pg_proc",
    sql: "DROP FUNCTION corpus_util.slugify(text)",
    expect: [missing("function", "corpus_util.slugify(value text)")],
  },
  {
    name: "function added",
    catalog: "pg_proc",
    sql: "CREATE FUNCTION rogue_answer() RETURNS integer LANGUAGE sql AS 'SELECT 42'",
    expect: [unexpected("function", "rogue_answer()")],
  },
  {
    name: "aggregate added",
    catalog: "pg_proc.prokind = a",
    sql: "CREATE AGGREGATE rogue_sum(integer) (SFUNC = int4pl, STYPE = integer)",
    expect: [unexpected("function", "rogue_sum(integer)")],
  },

  // --- views (pg_class, pg_rewrite) ----------------------------------------------------------
  {
    name: "view definition",
    catalog: "pg_rewrite.ev_action (_RETURN)",
    sql: "CREATE OR REPLACE VIEW corpus_item_labels WITH (security_barrier = true) AS SELECT id, label FROM corpus_items WHERE label IS NOT NULL AND price > 0",
    expect: [changed("view", "corpus_item_labels", "definition")],
  },
  {
    name: "view option security_barrier",
    catalog: "pg_class.reloptions (view)",
    sql: "ALTER VIEW corpus_item_labels RESET (security_barrier)",
    expect: [changed("view", "corpus_item_labels", "storage parameters")],
  },
  {
    name: "view check option",
    catalog: "pg_class.reloptions (view)",
    sql: "ALTER VIEW corpus_item_labels SET (check_option = local)",
    expect: [changed("view", "corpus_item_labels", "storage parameters")],
  },
  {
    name: "view privilege",
    catalog: "pg_class.relacl (view)",
    sql: "GRANT SELECT ON corpus_item_labels TO PUBLIC",
    expect: [changed("view", "corpus_item_labels", "privileges")],
  },
  {
    name: "view dropped",
    catalog: "pg_class (relkind v)",
    sql: "DROP VIEW corpus_item_labels",
    expect: [missing("view", "corpus_item_labels")],
  },
  {
    name: "view added",
    catalog: "pg_class (relkind v)",
    sql: "CREATE VIEW rogue_vendor_names AS SELECT name FROM vendors",
    expect: [unexpected("view", "rogue_vendor_names")],
  },
  {
    name: "materialized view definition",
    catalog: "pg_rewrite.ev_action (relkind m)",
    sql: "DROP MATERIALIZED VIEW corpus_item_totals; CREATE MATERIALIZED VIEW corpus_item_totals AS SELECT mood, count(*) AS n FROM corpus_items WHERE price > 0 GROUP BY mood; CREATE UNIQUE INDEX corpus_item_totals_mood ON corpus_item_totals (mood)",
    expect: [changed("materialized view", "corpus_item_totals", "definition")],
  },
  {
    name: "rule added",
    catalog: "pg_rewrite",
    sql: "CREATE RULE rogue_keep AS ON DELETE TO vendors DO INSTEAD NOTHING",
    expect: [unexpected("rule", "vendors.rogue_keep")],
  },
  {
    name: "rule definition",
    catalog: "pg_rewrite.ev_qual / ev_action",
    sql: "CREATE OR REPLACE RULE corpus_items_keep AS ON DELETE TO corpus_items WHERE OLD.price > 10 DO INSTEAD NOTHING",
    expect: [changed("rule", "corpus_items.corpus_items_keep", "definition")],
  },
  {
    name: "rule disabled",
    catalog: "pg_rewrite.ev_enabled",
    sql: "ALTER TABLE corpus_items DISABLE RULE corpus_items_keep",
    expect: [changed("rule", "corpus_items.corpus_items_keep", "enabled")],
  },

  // --- sequences (pg_sequence, pg_depend) ----------------------------------------------------
  {
    name: "sequence increment",
    catalog: "pg_sequence.seqincrement",
    sql: "ALTER SEQUENCE corpus_ticket_no INCREMENT 1",
    expect: [changed("sequence", "corpus_ticket_no", "increment")],
  },
  {
    name: "sequence minimum",
    catalog: "pg_sequence.seqmin",
    sql: "ALTER SEQUENCE corpus_ticket_no MINVALUE 1",
    expect: [changed("sequence", "corpus_ticket_no", "minimum")],
  },
  {
    name: "sequence maximum",
    catalog: "pg_sequence.seqmax",
    sql: "ALTER SEQUENCE corpus_ticket_no MAXVALUE 5000000",
    expect: [changed("sequence", "corpus_ticket_no", "maximum")],
  },
  {
    name: "sequence cache",
    catalog: "pg_sequence.seqcache",
    sql: "ALTER SEQUENCE corpus_ticket_no CACHE 20",
    expect: [changed("sequence", "corpus_ticket_no", "cache")],
  },
  {
    name: "sequence cycle",
    catalog: "pg_sequence.seqcycle",
    sql: "ALTER SEQUENCE corpus_ticket_no CYCLE",
    expect: [changed("sequence", "corpus_ticket_no", "cycle")],
  },
  {
    name: "sequence start",
    catalog: "pg_sequence.seqstart",
    sql: "ALTER SEQUENCE corpus_ticket_no START 2000",
    expect: [changed("sequence", "corpus_ticket_no", "start")],
  },
  {
    name: "sequence data type",
    catalog: "pg_sequence.seqtypid",
    sql: "ALTER SEQUENCE corpus_ticket_no AS bigint",
    expect: [changed("sequence", "corpus_ticket_no", "data type")],
  },
  {
    name: "sequence owned by",
    catalog: "pg_depend (deptype a)",
    sql: "ALTER SEQUENCE corpus_ticket_no OWNED BY NONE",
    expect: [changed("sequence", "corpus_ticket_no", "owned by")],
  },
  {
    name: "identity sequence increment",
    catalog: "pg_sequence.seqincrement (identity)",
    sql: "ALTER TABLE corpus_items ALTER COLUMN id SET INCREMENT BY 10",
    expect: [changed("sequence", "corpus_items_id_seq", "increment")],
  },
  {
    name: "sequence privilege",
    catalog: "pg_class.relacl (sequence)",
    sql: "GRANT USAGE ON SEQUENCE corpus_ticket_no TO PUBLIC",
    expect: [changed("sequence", "corpus_ticket_no", "privileges")],
  },
  {
    name: "sequence UNLOGGED",
    catalog: "pg_class.relpersistence (sequence)",
    sql: "ALTER SEQUENCE corpus_ticket_no SET UNLOGGED",
    expect: [changed("sequence", "corpus_ticket_no", "persistence")],
  },
  {
    name: "sequence added",
    catalog: "pg_sequence",
    sql: "CREATE SEQUENCE rogue_seq",
    expect: [unexpected("sequence", "rogue_seq")],
  },

  // --- extensions (pg_extension) -------------------------------------------------------------
  {
    name: "extension version",
    catalog: "pg_extension.extversion",
    sql: "DROP EXTENSION citext; CREATE EXTENSION citext VERSION '1.4'",
    expect: [changed("extension", "citext", "version")],
  },
  {
    name: "extension dropped",
    catalog: "pg_extension",
    sql: "DROP EXTENSION citext",
    expect: [missing("extension", "citext")],
  },
  {
    name: "extension moved to schema extensions (matched by name: equivalence)",
    catalog: "pg_extension.extnamespace",
    sql: "CREATE SCHEMA extensions; ALTER EXTENSION citext SET SCHEMA extensions",
    expect: [],
  },

  // --- types (pg_type, pg_enum, pg_constraint of domains) ------------------------------------
  {
    name: "enum label added",
    catalog: "pg_enum",
    sql: "ALTER TYPE corpus_mood ADD VALUE 'tired'",
    expect: [changed("type", "corpus_mood", "labels")],
  },
  {
    name: "enum label renamed",
    catalog: "pg_enum.enumlabel",
    sql: "ALTER TYPE corpus_mood RENAME VALUE 'busy' TO 'hectic'",
    expect: [changed("type", "corpus_mood", "labels")],
  },
  {
    name: "enum label order",
    catalog: "pg_enum.enumsortorder",
    sql: "ALTER TYPE corpus_mood ADD VALUE 'tired' BEFORE 'calm'",
    expect: [changed("type", "corpus_mood", "labels")],
  },
  {
    name: "domain constraint definition",
    catalog: "pg_constraint.conbin (domain)",
    sql: "ALTER DOMAIN corpus_percent DROP CONSTRAINT corpus_percent_range; ALTER DOMAIN corpus_percent ADD CONSTRAINT corpus_percent_range CHECK (VALUE >= 0 AND VALUE <= 1000)",
    expect: [changed("constraint", "corpus_percent.corpus_percent_range", "definition")],
  },
  {
    name: "domain constraint NOT VALID",
    catalog: "pg_constraint.convalidated (domain)",
    sql: "ALTER DOMAIN corpus_percent DROP CONSTRAINT corpus_percent_range; ALTER DOMAIN corpus_percent ADD CONSTRAINT corpus_percent_range CHECK (VALUE >= 0 AND VALUE <= 100) NOT VALID",
    expect: [changed("constraint", "corpus_percent.corpus_percent_range", "validated")],
  },
  {
    name: "domain NOT NULL dropped",
    catalog: "pg_type.typnotnull",
    sql: "ALTER DOMAIN corpus_percent DROP NOT NULL",
    expect: [changed("type", "corpus_percent", "nullability")],
  },
  {
    name: "domain default",
    catalog: "pg_type.typdefaultbin",
    sql: "ALTER DOMAIN corpus_percent SET DEFAULT 1",
    expect: [changed("type", "corpus_percent", "default")],
  },
  {
    name: "domain base type",
    catalog: "pg_type.typbasetype / typtypmod",
    sql: `DROP DOMAIN corpus_code; CREATE DOMAIN corpus_code AS varchar(30) COLLATE "C"`,
    expect: [changed("type", "corpus_code", "base type")],
  },
  {
    name: "domain collation",
    catalog: "pg_type.typcollation",
    sql: "DROP DOMAIN corpus_code; CREATE DOMAIN corpus_code AS varchar(20)",
    expect: [changed("type", "corpus_code", "collation")],
  },
  {
    name: "range subtype",
    catalog: "pg_range.rngsubtype",
    sql: "DROP TYPE corpus_span; CREATE TYPE corpus_span AS RANGE (subtype = bigint)",
    expect: [changed("type", "corpus_span", "range subtype")],
  },
  {
    name: "composite type attribute added",
    catalog: "pg_attribute (composite)",
    sql: "ALTER TYPE corpus_point ADD ATTRIBUTE z integer",
    expect: [unexpected("column", "corpus_point.z")],
  },
  {
    name: "composite type attribute type",
    catalog: "pg_attribute.atttypid (composite)",
    sql: "ALTER TYPE corpus_point ALTER ATTRIBUTE y TYPE bigint",
    expect: [changed("column", "corpus_point.y", "type")],
  },
  {
    name: "type privilege",
    catalog: "pg_type.typacl",
    sql: "REVOKE USAGE ON TYPE corpus_mood FROM PUBLIC",
    expect: [changed("type", "corpus_mood", "privileges")],
  },
  {
    name: "type comment",
    catalog: "pg_description",
    sql: "COMMENT ON TYPE corpus_mood IS 'mood'",
    expect: [changed("type", "corpus_mood", "comment")],
  },
  {
    name: "type dropped",
    catalog: "pg_type",
    sql: "DROP TYPE corpus_point",
    expect: [missing("type", "corpus_point")],
  },
  {
    name: "type added",
    catalog: "pg_type",
    sql: "CREATE TYPE rogue_kind AS ENUM ('a', 'b')",
    expect: [unexpected("type", "rogue_kind")],
  },

  // --- schemas (pg_namespace) and what lives in them -----------------------------------------
  {
    name: "schema the migrations create, dropped",
    catalog: "pg_namespace",
    sql: "DROP SCHEMA corpus_util CASCADE",
    expect: [missing("schema", "corpus_util")],
  },
  {
    name: "object added in a schema the migrations create",
    catalog: "pg_class.relnamespace",
    sql: "CREATE TABLE corpus_util.rogue_cache (k text PRIMARY KEY)",
    expect: [unexpected("table", "corpus_util.rogue_cache")],
  },
  {
    name: "schema privilege",
    catalog: "pg_namespace.nspacl",
    sql: "GRANT CREATE ON SCHEMA public TO PUBLIC",
    expect: [changed("schema", "public", "privileges")],
  },
  {
    name: "schema comment",
    catalog: "pg_description",
    sql: "COMMENT ON SCHEMA corpus_util IS 'helpers'",
    expect: [changed("schema", "corpus_util", "comment")],
  },
  {
    name: "default privileges",
    catalog: "pg_default_acl",
    sql: "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC",
    // roles_grants_append_only already sets default privileges for the migrating role (postgres here).
    expect: [changed("default privileges", "for role postgres on tables", "privileges")],
  },

  // --- kinds compared by existence (pg_operator, pg_collation, pg_ts_config, pg_statistic_ext) -
  {
    name: "operator added",
    catalog: "pg_operator",
    sql: "CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq)",
    expect: [unexpected("operator", "public.===(integer,integer)")],
  },
  {
    name: "collation added",
    catalog: "pg_collation",
    sql: "CREATE COLLATION rogue_c (locale = 'C')",
    expect: [unexpected("collation", "public.rogue_c")],
  },
  {
    name: "text search configuration added",
    catalog: "pg_ts_config",
    sql: "CREATE TEXT SEARCH CONFIGURATION rogue_ts (COPY = simple)",
    expect: [unexpected("text search configuration", "public.rogue_ts")],
  },
  {
    name: "statistics object added",
    catalog: "pg_statistic_ext",
    sql: "CREATE STATISTICS rogue_stats ON status, location_id FROM assets",
    expect: [unexpected("statistics object", "public.rogue_stats")],
  },
  {
    name: "statistics object definition",
    catalog: "pg_statistic_ext.stxkind",
    sql: "DROP STATISTICS corpus_items_stats; CREATE STATISTICS corpus_items_stats (ndistinct) ON mood, tenant FROM corpus_items",
    expect: [changed("statistics object", "public.corpus_items_stats", "definition")],
  },
];

/** uuid-ossp in schema `extensions` (the managed-service layout), every uuid key defaulting to it. */
export const UUID_OSSP_IN_EXTENSIONS = `
CREATE SCHEMA extensions;
CREATE EXTENSION "uuid-ossp" SCHEMA extensions;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, a.attname
             FROM pg_attrdef d
             JOIN pg_class c ON c.oid = d.adrelid
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE c.relnamespace = 'public'::regnamespace AND pg_get_expr(d.adbin, d.adrelid) = 'gen_random_uuid()'
  LOOP
    EXECUTE format('ALTER TABLE public.%I ALTER COLUMN %I SET DEFAULT extensions.uuid_generate_v4()', r.relname, r.attname);
  END LOOP;
END $$;
`;
