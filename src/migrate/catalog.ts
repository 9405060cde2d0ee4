/**
 * The live schema read from pg_catalog, in PostgreSQL's own spelling (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef, pg_get_viewdef, ...), so two databases
 * printed by the same server compare as text.
 *
 * readRawCatalog() reads everything the drift check compares, in every schema except the system
 * ones and drizzle's history schema, leaving out whatever an extension owns (pg_depend deptype 'e':
 * uuid-ossp's functions, wherever it is installed). readCatalog() is its per-table view, used by the
 * schema tests to compare the drizzle table objects with the database.
 */
import { type SQL, sql } from "drizzle-orm";
import { MIGRATIONS_SCHEMA } from "../config.js";
import { type DbOrTx, rows } from "../db.js";

// ---------------------------------------------------------------------------------------------
// Per-table view (schema tests)

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
  /** True unless DISABLEd (tgenabled D); `state` tells origin / replica / always apart. */
  enabled: boolean;
  state: TriggerState;
}

export interface LiveTable {
  name: string;
  columns: LiveColumn[];
  constraints: LiveConstraint[];
  indexes: LiveIndex[];
  triggers: LiveTrigger[];
}

// ---------------------------------------------------------------------------------------------
// Raw catalog (drift)

/** pg_trigger.tgenabled: O fires in origin and local sessions, R only in replica ones, A always. */
export type TriggerState = "origin" | "disabled" | "replica" | "always";
const TRIGGER_STATE: Record<string, TriggerState> = { O: "origin", D: "disabled", R: "replica", A: "always" };

export interface RawSchema {
  name: string;
  owner: string;
  acl: string[];
  comment: string | null;
}

export interface RawRelation {
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, S sequence, f foreign table. */
  kind: string;
  /** relpersistence: p permanent, u unlogged, t temporary. */
  persistence: string;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  /** relreplident: d default, n nothing, f full, i index. */
  replicaIdentity: string;
  partitionKey: string | null;
  partitionBound: string | null;
  /** Qualified names of the parents (inheritance or partitioning), in order. */
  parents: string[];
  options: string[];
  accessMethod: string | null;
  tablespace: string | null;
  /** pg_get_viewdef() of views and materialized views. */
  definition: string | null;
  owner: string;
  acl: string[];
  comment: string | null;
}

export interface RawColumn {
  schema: string;
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  /** The default, or the generation expression when `generated` is set. */
  default: string | null;
  /** attgenerated: '' none, s stored, v virtual (PostgreSQL 18). */
  generated: string;
  /** attidentity: '' none, a ALWAYS, d BY DEFAULT. */
  identity: string;
  /** The column's collation when it is not its type's default; null otherwise. */
  collation: string | null;
  /** attstorage when it differs from the type's; null otherwise. */
  storage: string | null;
  /** attcompression: '' default, p pglz, l lz4. */
  compression: string;
  /** attstattarget when set (null = default). */
  statisticsTarget: number | null;
  options: string[];
  acl: string[];
  comment: string | null;
}

export interface RawConstraint {
  schema: string;
  table: string;
  name: string;
  /** contype: p, u, f, c, x. */
  kind: string;
  columns: string[];
  definition: string;
  refTable: string | null;
  refColumns: string[];
  onDelete: string;
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  noInherit: boolean;
  comment: string | null;
}

export interface RawIndex {
  schema: string;
  table: string;
  name: string;
  method: string;
  /** Key columns or expressions, as pg_get_indexdef(index, n) prints them. */
  keys: string[];
  include: string[];
  /** Operator class of each key column. */
  opclasses: string[];
  /** Collation of each key column ('' when not collatable). */
  collations: string[];
  /** pg_index.indoption of each key column (1 DESC, 2 NULLS FIRST). */
  keyOptions: number[];
  predicate: string | null;
  unique: boolean;
  nullsNotDistinct: boolean;
  constraintBacked: boolean;
  clustered: boolean;
  valid: boolean;
  ready: boolean;
  replicaIdentity: boolean;
  options: string[];
  tablespace: string | null;
  definition: string;
  comment: string | null;
}

export interface RawTrigger {
  schema: string;
  table: string;
  name: string;
  /** pg_trigger.tgtype bits: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE, 64 INSTEAD. */
  type: number;
  state: TriggerState;
  function: string;
  /** UPDATE OF columns. */
  columns: string[];
  constraint: boolean;
  deferrable: boolean;
  deferred: boolean;
  oldTable: string | null;
  newTable: string | null;
  definition: string;
  comment: string | null;
}

export interface RawPolicy {
  schema: string;
  table: string;
  name: string;
  /** polcmd: r SELECT, a INSERT, w UPDATE, d DELETE, * ALL. */
  command: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
  comment: string | null;
}

export interface RawRule {
  schema: string;
  table: string;
  name: string;
  definition: string;
  /** ev_enabled, as tgenabled. */
  state: TriggerState;
  comment: string | null;
}

export interface RawSequence {
  schema: string;
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** `schema.table.column` the sequence belongs to, with `identity` for identity columns. */
  ownedBy: string | null;
  identity: boolean;
}

export interface RawFunction {
  schema: string;
  name: string;
  /** pg_get_function_identity_arguments(), as shown (with argument names). */
  identity: string;
  /** The argument types that identify it (oidvectortypes(proargtypes)): names do not. */
  argumentTypes: string;
  /** prokind: f function, p procedure, a aggregate, w window. */
  kind: string;
  returns: string | null;
  /** pg_get_function_arguments(): names, modes and defaults included. */
  arguments: string;
  language: string;
  /** provolatile: i immutable, s stable, v volatile. */
  volatility: string;
  strict: boolean;
  securityDefiner: boolean;
  leakproof: boolean;
  /** proparallel: s safe, r restricted, u unsafe. */
  parallel: string;
  cost: string;
  rows: string;
  config: string[];
  /** prosrc, or the SQL-standard body (BEGIN ATOMIC) as pg_get_function_sqlbody() prints it. */
  body: string;
  owner: string;
  acl: string[];
  comment: string | null;
}

export interface RawType {
  schema: string;
  name: string;
  /** typtype: e enum, d domain, c composite, r range, b base. */
  kind: string;
  labels: string[];
  baseType: string | null;
  notNull: boolean;
  default: string | null;
  collation: string | null;
  rangeSubtype: string | null;
  owner: string;
  acl: string[];
  comment: string | null;
}

export interface RawDomainConstraint {
  schema: string;
  type: string;
  name: string;
  definition: string;
  validated: boolean;
  comment: string | null;
}

export interface RawExtension {
  name: string;
  version: string;
  schema: string;
}

/** Objects of the kinds compared by existence only (operators, collations, statistics, ...). */
export interface RawOther {
  /** pg_identify_object().type, e.g. `operator`, `collation`, `statistics object`. */
  type: string;
  schema: string;
  identity: string;
  definition: string | null;
  comment: string | null;
}

export interface RawDefaultAcl {
  role: string;
  schema: string;
  /** defaclobjtype: r tables, S sequences, f functions, T types, n schemas. */
  objectType: string;
  acl: string[];
}

export interface RawCatalog {
  /** The role that read the catalog (current_user): owner of what it created. */
  role: string;
  schemas: RawSchema[];
  relations: RawRelation[];
  columns: RawColumn[];
  constraints: RawConstraint[];
  indexes: RawIndex[];
  triggers: RawTrigger[];
  policies: RawPolicy[];
  rules: RawRule[];
  sequences: RawSequence[];
  functions: RawFunction[];
  types: RawType[];
  domainConstraints: RawDomainConstraint[];
  extensions: RawExtension[];
  others: RawOther[];
  defaultAcls: RawDefaultAcl[];
}

/** Schemas read: all but the system ones and drizzle's history schema. */
const inSchemas = (ns: SQL) =>
  sql`${ns} NOT IN ('pg_catalog', 'information_schema', ${MIGRATIONS_SCHEMA}) AND ${ns} NOT LIKE 'pg\\_toast%' AND ${ns} NOT LIKE 'pg\\_temp\\_%'`;

/** True for objects that belong to an extension (CREATE EXTENSION made them). */
const notExtensionMember = (catalog: string, oid: SQL) =>
  sql`NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = ${sql.raw(`'${catalog}'::regclass`)} AND ext.objid = ${oid} AND ext.deptype = 'e')`;

/**
 * Privileges as sorted `grantee PRIVILEGE[ WITH GRANT OPTION]` lines; NULL = the defaults for the
 * object type (acldefault), and the owner's own privileges are left out (they follow the owner).
 */
const privileges = (acl: SQL, kind: string, owner: SQL) =>
  sql`ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ' ' || a.privilege_type
                   || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
              FROM aclexplode(COALESCE(${acl}, acldefault(${sql.raw(`'${kind}'`)}, ${owner}))) a
             WHERE a.grantee <> ${owner} ORDER BY 1)::text[]`;

/** A collation's name as SQL spells it: `"C"`, `"en_US"`, `app."x"` outside pg_catalog. */
const collationName = (oid: SQL) =>
  sql`(SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN '' ELSE quote_ident(cn.nspname) || '.' END || quote_ident(co.collname)
         FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = ${oid})`;

/** COMMENT ON text (obj_description() looks its catalog up by name on every call: slower). */
const description = (catalog: string, oid: SQL, subId: SQL = sql`0`) =>
  sql`(SELECT ds.description FROM pg_description ds WHERE ds.objoid = ${oid} AND ds.classoid = ${sql.raw(`'${catalog}'::regclass`)} AND ds.objsubid = ${subId})`;

export async function readRawCatalog(db: DbOrTx): Promise<RawCatalog> {
  const [who] = await rows<{ role: string }>(db, sql`SELECT current_user::text AS role`);

  const schemas = await rows<RawSchema>(
    db,
    sql`SELECT n.nspname::text AS name, pg_get_userbyid(n.nspowner)::text AS owner,
               ${privileges(sql`n.nspacl`, "n", sql`n.nspowner`)} AS acl,
               ${description("pg_namespace", sql`n.oid`)} AS comment
          FROM pg_namespace n
         WHERE ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_namespace", sql`n.oid`)}
         ORDER BY 1`,
  );

  const relations = await rows<RawRelation>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
               c.relpersistence::text AS persistence, c.relrowsecurity AS "rowSecurity",
               c.relforcerowsecurity AS "forceRowSecurity", c.relreplident::text AS "replicaIdentity",
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partitionKey",
               CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS "partitionBound",
               ARRAY(SELECT pn.nspname || '.' || p.relname FROM pg_inherits i
                       JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                      WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)::text[] AS parents,
               COALESCE(c.reloptions, '{}')::text[] AS options,
               CASE WHEN c.relkind IN ('r', 'p', 'm') THEN am.amname::text END AS "accessMethod",
               ts.spcname::text AS tablespace,
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
               pg_get_userbyid(c.relowner)::text AS owner,
               CASE WHEN c.relkind = 'S' THEN ${privileges(sql`c.relacl`, "s", sql`c.relowner`)}
                    ELSE ${privileges(sql`c.relacl`, "r", sql`c.relowner`)} END AS acl,
               ${description("pg_class", sql`c.oid`)} AS comment
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_am am ON am.oid = c.relam
          LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${inSchemas(sql`n.nspname`)}
           AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2`,
  );

  const columns = await rows<RawColumn & { statisticsTarget: number | string | null }>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS "table", a.attname::text AS name,
               format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
               pg_get_expr(d.adbin, d.adrelid) AS "default",
               a.attgenerated::text AS generated, a.attidentity::text AS identity,
               CASE WHEN a.attcollation <> t.typcollation THEN ${collationName(sql`a.attcollation`)} END AS "collation",
               CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
               a.attcompression::text AS compression,
               NULLIF(a.attstattarget, -1)::int AS "statisticsTarget",
               COALESCE(a.attoptions, '{}')::text[] AS options,
               ARRAY(SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END || ' ' || x.privilege_type
                            || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
                       FROM aclexplode(a.attacl) x ORDER BY 1)::text[] AS acl,
               ${description("pg_class", sql`c.oid`, sql`a.attnum`)} AS comment
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relkind IN ('r', 'p', 'f', 'c') AND a.attnum > 0 AND NOT a.attisdropped
           AND ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2, a.attnum`,
  );

  const constraints = await rows<RawConstraint>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS "table", con.conname::text AS name,
               con.contype::text AS kind,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
               pg_get_constraintdef(con.oid) AS definition,
               rc.relname::text AS "refTable",
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS "refColumns",
               con.confdeltype::text AS "onDelete",
               con.condeferrable AS "deferrable", con.condeferred AS deferred, con.convalidated AS validated,
               con.connoinherit AS "noInherit", ${description("pg_constraint", sql`con.oid`)} AS comment
          FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_class rc ON rc.oid = con.confrelid
         WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND ${inSchemas(sql`n.nspname`)}
           AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2, 3`,
  );

  const indexes = await rows<RawIndex & { columns: string[]; keyCount: number }>(
    db,
    sql`SELECT n.nspname::text AS schema, t.relname::text AS "table", i.relname::text AS name,
               am.amname::text AS method, x.indnkeyatts::int AS "keyCount",
               ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnatts::int) k ORDER BY k)::text[] AS columns,
               ARRAY(SELECT CASE WHEN ocn.nspname = 'pg_catalog' THEN '' ELSE ocn.nspname || '.' END || oc.opcname
                       FROM unnest(x.indclass::oid[]) WITH ORDINALITY u(oid, k)
                       JOIN pg_opclass oc ON oc.oid = u.oid JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
                      ORDER BY u.k)::text[] AS opclasses,
               ARRAY(SELECT COALESCE(${collationName(sql`u.oid`)}, '')
                       FROM unnest(x.indcollation::oid[]) WITH ORDINALITY u(oid, k) ORDER BY u.k)::text[] AS collations,
               ARRAY(SELECT o::int FROM unnest(x.indoption::int2[]) WITH ORDINALITY u(o, k) ORDER BY k) AS "keyOptions",
               pg_get_expr(x.indpred, x.indrelid) AS predicate,
               x.indisunique AS "unique", x.indnullsnotdistinct AS "nullsNotDistinct",
               EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid
                          AND con.contype IN ('p', 'u', 'x')) AS "constraintBacked",
               x.indisclustered AS clustered, x.indisvalid AS valid, x.indisready AS ready,
               x.indisreplident AS "replicaIdentity",
               COALESCE(i.reloptions, '{}')::text[] AS options, ts.spcname::text AS tablespace,
               pg_get_indexdef(x.indexrelid) AS definition, ${description("pg_class", sql`i.oid`)} AS comment
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          JOIN pg_am am ON am.oid = i.relam
          LEFT JOIN pg_tablespace ts ON ts.oid = i.reltablespace
         WHERE t.relkind IN ('r', 'p', 'm') AND ${inSchemas(sql`n.nspname`)}
           AND ${notExtensionMember("pg_class", sql`t.oid`)}
         ORDER BY 1, 2, 3`,
  );

  const triggers = await rows<Omit<RawTrigger, "state"> & { enabled: string }>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS "table", tg.tgname::text AS name,
               tg.tgtype::int AS type, tg.tgenabled::text AS enabled,
               fn.nspname || '.' || p.proname AS function,
               ARRAY(SELECT a.attname::text FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
               tg.tgconstraint <> 0 AS "constraint", tg.tgdeferrable AS "deferrable", tg.tginitdeferred AS deferred,
               tg.tgoldtable::text AS "oldTable", tg.tgnewtable::text AS "newTable",
               pg_get_triggerdef(tg.oid) AS definition, ${description("pg_trigger", sql`tg.oid`)} AS comment
          FROM pg_trigger tg
          JOIN pg_class c ON c.oid = tg.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_proc p ON p.oid = tg.tgfoid
          JOIN pg_namespace fn ON fn.oid = p.pronamespace
         WHERE NOT tg.tgisinternal AND ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2, 3`,
  );

  const policies = await rows<RawPolicy>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS "table", pol.polname::text AS name,
               pol.polcmd::text AS command, pol.polpermissive AS permissive,
               ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r) END FROM unnest(pol.polroles) r ORDER BY 1)::text[] AS roles,
               pg_get_expr(pol.polqual, pol.polrelid) AS "using", pg_get_expr(pol.polwithcheck, pol.polrelid) AS "withCheck",
               ${description("pg_policy", sql`pol.oid`)} AS comment
          FROM pg_policy pol
          JOIN pg_class c ON c.oid = pol.polrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2, 3`,
  );

  const rules = await rows<Omit<RawRule, "state"> & { enabled: string }>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS "table", r.rulename::text AS name,
               pg_get_ruledef(r.oid) AS definition, r.ev_enabled::text AS enabled,
               ${description("pg_rewrite", sql`r.oid`)} AS comment
          FROM pg_rewrite r
          JOIN pg_class c ON c.oid = r.ev_class
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE r.rulename <> '_RETURN' AND ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2, 3`,
  );

  const sequences = await rows<RawSequence>(
    db,
    sql`SELECT n.nspname::text AS schema, c.relname::text AS name, format_type(s.seqtypid, NULL) AS type,
               s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
               s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
               owner.name AS "ownedBy", COALESCE(owner.identity, false) AS identity
          FROM pg_sequence s
          JOIN pg_class c ON c.oid = s.seqrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN LATERAL (
                SELECT tn.nspname || '.' || t.relname || '.' || a.attname AS name, d.deptype = 'i' AS identity
                  FROM pg_depend d
                  JOIN pg_class t ON t.oid = d.refobjid
                  JOIN pg_namespace tn ON tn.oid = t.relnamespace
                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                 WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                 LIMIT 1) owner ON true
         WHERE ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_class", sql`c.oid`)}
         ORDER BY 1, 2`,
  );

  const functions = await rows<RawFunction>(
    db,
    sql`SELECT n.nspname::text AS schema, p.proname::text AS name,
               pg_get_function_identity_arguments(p.oid) AS identity,
               oidvectortypes(p.proargtypes) AS "argumentTypes", p.prokind::text AS kind,
               CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns,
               pg_get_function_arguments(p.oid) AS arguments, l.lanname::text AS language,
               p.provolatile::text AS volatility, p.proisstrict AS strict, p.prosecdef AS "securityDefiner",
               p.proleakproof AS leakproof, p.proparallel::text AS parallel,
               p.procost::text AS cost, p.prorows::text AS rows, COALESCE(p.proconfig, '{}')::text[] AS config,
               CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid)
                    ELSE COALESCE(p.probin || ' ', '') || p.prosrc END AS body,
               pg_get_userbyid(p.proowner)::text AS owner,
               ${privileges(sql`p.proacl`, "f", sql`p.proowner`)} AS acl,
               ${description("pg_proc", sql`p.oid`)} AS comment
          FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          JOIN pg_language l ON l.oid = p.prolang
         WHERE ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_proc", sql`p.oid`)}
           -- A range type's constructor functions are part of the type (pg_depend deptype 'i').
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.refclassid = 'pg_type'::regclass AND d.deptype = 'i')
         ORDER BY 1, 2, 3`,
  );

  const types = await rows<RawType>(
    db,
    sql`SELECT n.nspname::text AS schema, t.typname::text AS name, t.typtype::text AS kind,
               ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
               CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS "baseType",
               t.typnotnull AS "notNull", pg_get_expr(t.typdefaultbin, 0) AS "default",
               CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                    THEN ${collationName(sql`t.typcollation`)} END AS "collation",
               (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) AS "rangeSubtype",
               pg_get_userbyid(t.typowner)::text AS owner,
               ${privileges(sql`t.typacl`, "T", sql`t.typowner`)} AS acl,
               ${description("pg_type", sql`t.oid`)} AS comment
          FROM pg_type t
          JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r')
           AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
           AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
           AND ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_type", sql`t.oid`)}
         ORDER BY 1, 2`,
  );

  const domainConstraints = await rows<RawDomainConstraint>(
    db,
    sql`SELECT n.nspname::text AS schema, t.typname::text AS type, con.conname::text AS name,
               pg_get_constraintdef(con.oid) AS definition, con.convalidated AS validated,
               ${description("pg_constraint", sql`con.oid`)} AS comment
          FROM pg_constraint con
          JOIN pg_type t ON t.oid = con.contypid
          JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE con.contype = 'c' AND ${inSchemas(sql`n.nspname`)} AND ${notExtensionMember("pg_type", sql`t.oid`)}
         ORDER BY 1, 2, 3`,
  );

  const extensions = await rows<RawExtension>(
    db,
    sql`SELECT e.extname::text AS name, e.extversion::text AS version, n.nspname::text AS schema
          FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1`,
  );

  const others = await rows<RawOther>(
    db,
    sql`SELECT o.type::text AS type, n.nspname::text AS schema, o.identity::text AS identity,
               CASE WHEN x.classid = 'pg_statistic_ext'::regclass THEN pg_get_statisticsobjdef(x.oid) END AS definition,
               (SELECT ds.description FROM pg_description ds WHERE ds.objoid = x.oid AND ds.classoid = x.classid AND ds.objsubid = 0) AS comment
          FROM (SELECT 'pg_operator'::regclass AS classid, oid, oprnamespace AS ns FROM pg_operator
                UNION ALL SELECT 'pg_opclass'::regclass, oid, opcnamespace FROM pg_opclass
                UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfnamespace FROM pg_opfamily
                UNION ALL SELECT 'pg_collation'::regclass, oid, collnamespace FROM pg_collation
                UNION ALL SELECT 'pg_conversion'::regclass, oid, connamespace FROM pg_conversion
                UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgnamespace FROM pg_ts_config
                UNION ALL SELECT 'pg_ts_dict'::regclass, oid, dictnamespace FROM pg_ts_dict
                UNION ALL SELECT 'pg_ts_parser'::regclass, oid, prsnamespace FROM pg_ts_parser
                UNION ALL SELECT 'pg_ts_template'::regclass, oid, tmplnamespace FROM pg_ts_template
                UNION ALL SELECT 'pg_statistic_ext'::regclass, oid, stxnamespace FROM pg_statistic_ext) x
          JOIN pg_namespace n ON n.oid = x.ns
          CROSS JOIN LATERAL pg_identify_object(x.classid, x.oid, 0) o
         WHERE ${inSchemas(sql`n.nspname`)}
           AND NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = x.classid AND ext.objid = x.oid AND ext.deptype = 'e')
         ORDER BY 1, 3`,
  );

  const defaultAcls = await rows<RawDefaultAcl>(
    db,
    sql`SELECT pg_get_userbyid(d.defaclrole)::text AS role, n.nspname::text AS schema,
               d.defaclobjtype::text AS "objectType",
               ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ' ' || a.privilege_type
                            || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
                       FROM aclexplode(d.defaclacl) a ORDER BY 1)::text[] AS acl
          FROM pg_default_acl d
          JOIN pg_namespace n ON n.oid = d.defaclnamespace
         WHERE ${inSchemas(sql`n.nspname`)}
         ORDER BY 1, 2, 3`,
  );

  return {
    role: who?.role ?? "",
    schemas,
    relations,
    columns: columns.map((c) => ({
      ...c,
      statisticsTarget: c.statisticsTarget === null ? null : Number(c.statisticsTarget),
    })),
    constraints,
    indexes: indexes.map(({ columns: all, keyCount, ...x }) => ({
      ...x,
      keys: all.slice(0, keyCount),
      include: all.slice(keyCount),
      keyOptions: x.keyOptions.map(Number),
    })),
    triggers: triggers.map(({ enabled, ...t }) => ({
      ...t,
      type: Number(t.type),
      state: TRIGGER_STATE[enabled] ?? "origin",
    })),
    policies,
    rules: rules.map(({ enabled, ...r }) => ({ ...r, state: TRIGGER_STATE[enabled] ?? "origin" })),
    sequences,
    functions,
    types,
    domainConstraints,
    extensions,
    others,
    defaultAcls,
  };
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

/** Every ordinary or partitioned table of `schemaName` with its columns, constraints, indexes, triggers. */
export async function readCatalog(db: DbOrTx, schemaName = "public"): Promise<Map<string, LiveTable>> {
  const raw = await readRawCatalog(db);
  const tables = new Map<string, LiveTable>();
  for (const r of raw.relations) {
    if (r.schema === schemaName && (r.kind === "r" || r.kind === "p")) {
      tables.set(r.name, { name: r.name, columns: [], constraints: [], indexes: [], triggers: [] });
    }
  }
  const of = (schema: string, table: string) => (schema === schemaName ? tables.get(table) : undefined);
  for (const c of raw.columns) {
    of(c.schema, c.table)?.columns.push({
      name: c.name,
      type: c.type,
      notNull: c.notNull,
      default: c.default,
    });
  }
  for (const c of raw.constraints) {
    const kind = KIND[c.kind] ?? "check";
    const constraint: LiveConstraint = { name: c.name, kind, columns: c.columns, definition: c.definition };
    if (kind === "foreign key" && c.refTable) {
      constraint.references = {
        table: c.refTable,
        columns: c.refColumns,
        onDelete: ON_DELETE[c.onDelete] ?? "no action",
      };
    }
    of(c.schema, c.table)?.constraints.push(constraint);
  }
  for (const x of raw.indexes) {
    of(x.schema, x.table)?.indexes.push({
      name: x.name,
      columns: [...x.keys, ...x.include],
      descending: x.keyOptions.map((o) => (o & 1) === 1),
      nullsFirst: x.keyOptions.map((o) => (o & 2) === 2),
      unique: x.unique,
      constraintBacked: x.constraintBacked,
      definition: x.definition,
    });
  }
  for (const t of raw.triggers) {
    of(t.schema, t.table)?.triggers.push({
      name: t.name,
      definition: t.definition,
      enabled: t.state !== "disabled",
      state: t.state,
    });
  }
  return tables;
}
