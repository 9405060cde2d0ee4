/**
 * A snapshot of a live schema read from pg_catalog, in PostgreSQL's own normalised spelling
 * (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef,
 * pg_get_functiondef). The schema tests compare the drizzle table objects with it; the drift check
 * compares two snapshots (tables with their triggers, plus readFunctions()).
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "../db.js";

export interface LiveColumn {
  name: string;
  /** format_type(), e.g. `character varying(255)`, `numeric(12,4)`. */
  type: string;
  notNull: boolean;
  /** pg_get_expr() of the default, e.g. `'user'::character varying`, `now()`; null when none. */
  default: string | null;
}

export type ConstraintKind = "primary key" | "unique" | "foreign key" | "check" | "exclusion";

export interface LiveConstraint {
  name: string;
  kind: ConstraintKind;
  columns: string[];
  /** pg_get_constraintdef(), e.g. `FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`. */
  definition: string;
  /** Foreign keys only. */
  references?: { table: string; columns: string[]; onDelete: OnDeleteAction };
}

export type OnDeleteAction = "no action" | "restrict" | "cascade" | "set null" | "set default";

export interface LiveIndex {
  name: string;
  columns: string[];
  /** Per column: true when DESC. */
  descending: boolean[];
  /** Per column: true when NULLS FIRST. */
  nullsFirst: boolean[];
  unique: boolean;
  /** True when the index backs a primary key, unique or exclusion constraint. */
  constraintBacked: boolean;
  definition: string;
}

/** A user trigger (internal ones, such as those behind foreign keys, are left out). */
export interface LiveTrigger {
  name: string;
  /** pg_get_triggerdef(), e.g. `CREATE TRIGGER t BEFORE UPDATE ON public.x FOR EACH ROW EXECUTE FUNCTION f()`. */
  definition: string;
  enabled: boolean;
}

export interface LiveTable {
  name: string;
  columns: LiveColumn[];
  constraints: LiveConstraint[];
  indexes: LiveIndex[];
  triggers: LiveTrigger[];
}

/** A function or procedure of the schema that no extension owns (uuid-ossp's are left out). */
export interface LiveFunction {
  /** `name(identity arguments)`, e.g. `set_updated_at()`; unique within a schema. */
  signature: string;
  kind: "function" | "procedure" | "aggregate" | "window";
  /** pg_get_function_result(); null for procedures. */
  returns: string | null;
  language: string;
  /** pg_get_functiondef() (null for aggregates, which it cannot print). */
  definition: string | null;
}

const KIND: Record<string, ConstraintKind> = {
  p: "primary key",
  u: "unique",
  f: "foreign key",
  c: "check",
  x: "exclusion",
};
const ON_DELETE: Record<string, OnDeleteAction> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

/** Every ordinary table of `schemaName` with its columns, constraints and indexes. */
export async function readCatalog(db: DbOrTx, schemaName = "public"): Promise<Map<string, LiveTable>> {
  const columnRows = await rows<{
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    default: string | null;
  }>(
    db,
    sql`SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
               a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS "default"
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE n.nspname = ${schemaName} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum`,
  );
  const constraintRows = await rows<{
    table: string;
    name: string;
    kind: string;
    columns: string[];
    definition: string;
    ref_table: string | null;
    ref_columns: string[] | null;
    on_delete: string;
  }>(
    db,
    sql`SELECT c.relname AS "table", con.conname AS name, con.contype AS kind,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
               pg_get_constraintdef(con.oid) AS definition,
               rc.relname AS ref_table,
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns,
               con.confdeltype AS on_delete
          FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_class rc ON rc.oid = con.confrelid
         WHERE n.nspname = ${schemaName} AND con.contype IN ('p', 'u', 'f', 'c', 'x')
         ORDER BY c.relname, con.conname`,
  );
  const indexRows = await rows<{
    table: string;
    name: string;
    columns: string[];
    options: number[];
    unique: boolean;
    constraint_backed: boolean;
    definition: string;
  }>(
    db,
    sql`SELECT t.relname AS "table", i.relname AS name,
               ARRAY(SELECT pg_get_indexdef(x.indexrelid, k.i::int + 1, true)
                       FROM generate_subscripts(x.indkey, 1) k(i) ORDER BY k.i) AS columns,
               ARRAY(SELECT x.indoption[k.i] FROM generate_subscripts(x.indoption, 1) k(i) ORDER BY k.i)::int[] AS options,
               x.indisunique AS "unique",
               EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')) AS constraint_backed,
               pg_get_indexdef(x.indexrelid) AS definition
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = ${schemaName} AND t.relkind IN ('r', 'p')
         ORDER BY t.relname, i.relname`,
  );

  const triggerRows = await rows<{ table: string; name: string; definition: string; enabled: string }>(
    db,
    sql`SELECT c.relname AS "table", tg.tgname AS name, pg_get_triggerdef(tg.oid) AS definition,
               tg.tgenabled AS enabled
          FROM pg_trigger tg
          JOIN pg_class c ON c.oid = tg.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ${schemaName} AND c.relkind IN ('r', 'p') AND NOT tg.tgisinternal
         ORDER BY c.relname, tg.tgname`,
  );

  const tables = new Map<string, LiveTable>();
  const table = (name: string) => {
    let t = tables.get(name);
    if (!t) {
      t = { name, columns: [], constraints: [], indexes: [], triggers: [] };
      tables.set(name, t);
    }
    return t;
  };
  for (const r of columnRows) {
    table(r.table).columns.push({ name: r.name, type: r.type, notNull: r.not_null, default: r.default });
  }
  for (const r of constraintRows) {
    const kind = KIND[r.kind] ?? "check";
    const constraint: LiveConstraint = { name: r.name, kind, columns: r.columns, definition: r.definition };
    if (kind === "foreign key" && r.ref_table) {
      constraint.references = {
        table: r.ref_table,
        columns: r.ref_columns ?? [],
        onDelete: ON_DELETE[r.on_delete] ?? "no action",
      };
    }
    table(r.table).constraints.push(constraint);
  }
  for (const r of indexRows) {
    const options = r.options.map(Number);
    table(r.table).indexes.push({
      name: r.name,
      columns: r.columns,
      // pg_index.indoption bits: 1 = DESC, 2 = NULLS FIRST.
      descending: options.map((o) => (o & 1) === 1),
      nullsFirst: options.map((o) => (o & 2) === 2),
      unique: r.unique,
      constraintBacked: r.constraint_backed,
      definition: r.definition,
    });
  }
  for (const r of triggerRows) {
    // tgenabled: O = origin (default), D = disabled, R = replica only, A = always.
    table(r.table).triggers.push({ name: r.name, definition: r.definition, enabled: r.enabled !== "D" });
  }
  return tables;
}

const FUNCTION_KIND: Record<string, LiveFunction["kind"]> = {
  f: "function",
  p: "procedure",
  a: "aggregate",
  w: "window",
};

/**
 * Functions and procedures defined in `schemaName`, without those an extension owns (pg_depend
 * deptype 'e'): the legacy database has uuid-ossp's functions in public, the migrations do not.
 */
export async function readFunctions(db: DbOrTx, schemaName = "public"): Promise<LiveFunction[]> {
  const found = await rows<{
    signature: string;
    kind: string;
    returns: string | null;
    language: string;
    definition: string | null;
  }>(
    db,
    sql`SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
               p.prokind AS kind,
               CASE WHEN p.prokind = 'p' THEN NULL ELSE pg_get_function_result(p.oid) END AS returns,
               l.lanname AS language,
               CASE WHEN p.prokind = 'a' THEN NULL ELSE pg_get_functiondef(p.oid) END AS definition
          FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          JOIN pg_language l ON l.oid = p.prolang
         WHERE n.nspname = ${schemaName}
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
         ORDER BY 1`,
  );
  return found.map((r) => ({
    signature: r.signature,
    kind: FUNCTION_KIND[r.kind] ?? "function",
    returns: r.returns,
    language: r.language,
    definition: r.definition,
  }));
}
