/**
 * The drift check's model of a schema: every object read by readRawCatalog() as a kind, a name,
 * the table (or type) it belongs to, and its properties. Each property carries what is shown and
 * the key it is compared by (src/migrate/sql-normalize.ts), computed on the side it was read from,
 * because equivalences depend on that side (where its extensions live).
 */
import type {
  RawCatalog,
  RawColumn,
  RawExtension,
  RawFunction,
  RawIndex,
  RawRelation,
  RawTrigger,
  RawType,
} from "./catalog.js";
import {
  constraintBodyKey,
  type NormalizeContext,
  normalizeDefault,
  normalizeSql,
  triggerParts,
} from "./sql-normalize.js";

export interface Property {
  shown: string;
  key: string;
  /** Shown as a line diff when it differs (function bodies). */
  multiline?: boolean;
}

/** Kinds of objects with a parent: the parent's kind. */
export type ParentKind = "table" | "view" | "materialized view" | "foreign table" | "type";

export interface SchemaObject {
  /** table, view, materialized view, foreign table, sequence, column, constraint, index, trigger,
   *  policy, rule, function, type, extension, schema, default privileges, or the kind
   *  pg_identify_object() names for the kinds compared by existence only (operator, collation, ...). */
  kind: string;
  /** null for extensions (matched by name wherever installed). */
  schema: string | null;
  /** The table, view or type it belongs to. */
  parent: string | null;
  parentKind: ParentKind | null;
  /** As shown, e.g. `set_updated_at()`. */
  name: string;
  /** What it is matched by on the other side. */
  key: string;
  properties: Record<string, Property>;
}

export interface SchemaSnapshot {
  /** The role that read it (on the reference: the role that ran the migrations). */
  role: string;
  /** Schemas holding anything but an extension's objects. */
  schemas: string[];
  extensions: RawExtension[];
  objects: SchemaObject[];
}

const NONE = "(none)";
const text = (value: string | null | undefined) =>
  value === null || value === undefined || value === "" ? NONE : value;
const list = (values: string[]) => (values.length === 0 ? NONE : values.join(", "));
const flag = (value: boolean, yes = "yes", no = "no") => (value ? yes : no);
const quoted = (value: string | null) => (value === null ? NONE : `'${value.replaceAll("'", "''")}'`);

const plain = (shown: string): Property => ({ shown, key: shown });
const expression = (shown: string | null, ctx: NormalizeContext): Property =>
  shown === null ? plain(NONE) : { shown, key: normalizeSql(shown, ctx) };

const PERSISTENCE: Record<string, string> = { p: "permanent", u: "unlogged", t: "temporary" };
const REPLICA_IDENTITY: Record<string, string> = { d: "default", n: "nothing", f: "full", i: "index" };
const RELATION_KIND: Record<string, string> = {
  r: "table",
  p: "table",
  v: "view",
  m: "materialized view",
  S: "sequence",
  f: "foreign table",
};
const STORAGE: Record<string, string> = { p: "plain", e: "external", m: "main", x: "extended" };
const COMPRESSION: Record<string, string> = { "": "(default)", p: "pglz", l: "lz4" };
const CONSTRAINT_TYPE: Record<string, string> = {
  p: "primary key",
  u: "unique",
  f: "foreign key",
  c: "check",
  x: "exclusion",
};
const FUNCTION_KIND: Record<string, string> = { f: "function", p: "procedure", a: "aggregate", w: "window" };
const VOLATILITY: Record<string, string> = { i: "IMMUTABLE", s: "STABLE", v: "VOLATILE" };
const PARALLEL: Record<string, string> = { s: "SAFE", r: "RESTRICTED", u: "UNSAFE" };
const POLICY_COMMAND: Record<string, string> = {
  r: "SELECT",
  a: "INSERT",
  w: "UPDATE",
  d: "DELETE",
  "*": "ALL",
};
const TYPE_KIND: Record<string, string> = { e: "enum", d: "domain", c: "composite", r: "range", b: "base" };
const DEFAULT_ACL_OBJECTS: Record<string, string> = {
  r: "tables",
  S: "sequences",
  f: "functions",
  T: "types",
  n: "schemas",
};
/** The attribute options PostgreSQL documents (ALTER TABLE ... ALTER COLUMN ... SET); other entries are a build's own. */
const COLUMN_OPTIONS = new Set(["n_distinct", "n_distinct_inherited"]);

/** Owned by the object, but privileges follow the owner: compared only when migrations set one. */
function common(o: { owner: string; acl: string[]; comment: string | null }): Record<string, Property> {
  return { owner: plain(o.owner), privileges: plain(list(o.acl)), comment: plain(quoted(o.comment)) };
}

function tableProperties(r: RawRelation, ctx: NormalizeContext): Record<string, Property> {
  const partition = r.partitionBound !== null;
  return {
    persistence: plain(PERSISTENCE[r.persistence] ?? r.persistence),
    "row level security": plain(flag(r.rowSecurity, "enabled", "disabled")),
    "force row level security": plain(flag(r.forceRowSecurity, "forced", "not forced")),
    "replica identity": plain(REPLICA_IDENTITY[r.replicaIdentity] ?? r.replicaIdentity),
    "partition key": expression(r.partitionKey, ctx),
    "partition of": partition
      ? expression(`${r.parents[0] ?? ""} ${r.partitionBound ?? ""}`, ctx)
      : plain(NONE),
    inherits: partition ? plain(NONE) : expression(r.parents.length > 0 ? r.parents.join(", ") : null, ctx),
    "storage parameters": plain(list([...r.options].sort())),
    "access method": plain(text(r.accessMethod)),
    tablespace: plain(r.tablespace ?? "(default)"),
    ...common(r),
  };
}

function relationProperties(r: RawRelation, ctx: NormalizeContext): Record<string, Property> {
  if (r.kind === "r" || r.kind === "p") return tableProperties(r, ctx);
  if (r.kind === "v" || r.kind === "m") {
    return {
      definition: expression(r.definition, ctx),
      "storage parameters": plain(list([...r.options].sort())),
      ...(r.kind === "m"
        ? { "access method": plain(text(r.accessMethod)), tablespace: plain(r.tablespace ?? "(default)") }
        : {}),
      ...common(r),
    };
  }
  return { persistence: plain(PERSISTENCE[r.persistence] ?? r.persistence), ...common(r) };
}

function columnProperties(c: RawColumn, ctx: NormalizeContext): Record<string, Property> {
  const generated = c.generated !== "";
  const options = c.options.filter((o) => COLUMN_OPTIONS.has(o.split("=")[0] ?? "")).sort();
  return {
    type: expression(c.type, ctx),
    nullability: plain(c.notNull ? "NOT NULL" : "NULL"),
    default:
      generated || c.default === null
        ? plain(NONE)
        : { shown: c.default, key: normalizeDefault(c.default, c.type, ctx) },
    generated: generated
      ? {
          shown: `${c.generated === "v" ? "VIRTUAL" : "STORED"} AS (${c.default ?? ""})`,
          key: `${c.generated} ${normalizeSql(c.default ?? "", ctx)}`,
        }
      : plain(NONE),
    identity: plain(
      c.identity === "a" ? "GENERATED ALWAYS" : c.identity === "d" ? "GENERATED BY DEFAULT" : NONE,
    ),
    collation: plain(c.collation ?? "(type default)"),
    storage: plain(c.storage ? (STORAGE[c.storage] ?? c.storage) : "(type default)"),
    compression: plain(COMPRESSION[c.compression] ?? c.compression),
    "statistics target": plain(c.statisticsTarget === null ? "(default)" : String(c.statisticsTarget)),
    options: plain(list(options)),
    privileges: plain(list(c.acl)),
    comment: plain(quoted(c.comment)),
  };
}

function keyOrder(option: number): string {
  const desc = (option & 1) === 1;
  const nullsFirst = (option & 2) === 2;
  if (desc) return nullsFirst ? "DESC" : "DESC NULLS LAST";
  return nullsFirst ? "ASC NULLS FIRST" : "ASC";
}

function indexProperties(x: RawIndex, ctx: NormalizeContext): Record<string, Property> {
  const keys = (values: string[]) =>
    values.length === 0
      ? plain(NONE)
      : { shown: values.join(", "), key: values.map((v) => normalizeSql(v, ctx)).join(" , ") };
  return {
    method: plain(x.method),
    columns: keys(x.keys),
    include: keys(x.include),
    "operator classes": expression(x.opclasses.join(", "), ctx),
    collations: plain(list(x.collations.map((c) => c || "-"))),
    order: plain(x.keyOptions.map(keyOrder).join(", ")),
    predicate: expression(x.predicate, ctx),
    unique: plain(flag(x.unique)),
    "nulls not distinct": plain(flag(x.nullsNotDistinct)),
    valid: plain(flag(x.valid)),
    ready: plain(flag(x.ready)),
    clustered: plain(flag(x.clustered)),
    "replica identity": plain(flag(x.replicaIdentity)),
    "storage parameters": plain(list([...x.options].sort())),
    tablespace: plain(x.tablespace ?? "(default)"),
    comment: plain(quoted(x.comment)),
  };
}

function triggerProperties(t: RawTrigger, ctx: NormalizeContext): Record<string, Property> {
  const events = [
    t.type & 4 ? "INSERT" : null,
    t.type & 16 ? (t.columns.length > 0 ? `UPDATE OF ${t.columns.join(", ")}` : "UPDATE") : null,
    t.type & 8 ? "DELETE" : null,
    t.type & 32 ? "TRUNCATE" : null,
  ].filter((e): e is string => e !== null);
  const parts = triggerParts(t.definition, ctx);
  const transition = [
    t.oldTable ? `OLD TABLE AS ${t.oldTable}` : null,
    t.newTable ? `NEW TABLE AS ${t.newTable}` : null,
  ]
    .filter((e): e is string => e !== null)
    .join(" ");
  return {
    timing: plain(t.type & 2 ? "BEFORE" : t.type & 64 ? "INSTEAD OF" : "AFTER"),
    events: plain(events.join(" OR ")),
    level: plain(t.type & 1 ? "FOR EACH ROW" : "FOR EACH STATEMENT"),
    function: expression(t.function, ctx),
    arguments: { shown: parts.arguments || NONE, key: parts.arguments },
    when: parts.when === null ? plain(NONE) : { shown: parts.when, key: parts.when },
    enabled: plain(t.state),
    "constraint trigger": plain(flag(t.constraint)),
    deferrable: plain(flag(t.deferrable)),
    "initially deferred": plain(flag(t.deferred)),
    "transition tables": plain(text(transition)),
    comment: plain(quoted(t.comment)),
  };
}

function functionProperties(f: RawFunction, ctx: NormalizeContext): Record<string, Property> {
  return {
    kind: plain(FUNCTION_KIND[f.kind] ?? f.kind),
    returns: expression(f.returns, ctx),
    arguments: expression(f.arguments || null, ctx),
    language: plain(f.language),
    volatility: plain(VOLATILITY[f.volatility] ?? f.volatility),
    strict: plain(flag(f.strict)),
    security: plain(f.securityDefiner ? "DEFINER" : "INVOKER"),
    leakproof: plain(flag(f.leakproof)),
    parallel: plain(PARALLEL[f.parallel] ?? f.parallel),
    cost: plain(f.cost),
    rows: plain(f.rows),
    configuration: plain(list(f.config)),
    // A body is a literal: compared exactly, never normalised.
    body: { shown: f.body, key: f.body, multiline: true },
    ...common(f),
  };
}

function typeProperties(t: RawType, ctx: NormalizeContext): Record<string, Property> {
  const base = t.baseType ?? "";
  return {
    kind: plain(TYPE_KIND[t.kind] ?? t.kind),
    labels: plain(t.kind === "e" ? list(t.labels.map((l) => quoted(l))) : NONE),
    "base type": expression(t.baseType, ctx),
    nullability: plain(t.kind === "d" ? (t.notNull ? "NOT NULL" : "NULL") : NONE),
    default:
      t.default === null ? plain(NONE) : { shown: t.default, key: normalizeDefault(t.default, base, ctx) },
    collation: plain(t.collation ?? "(type default)"),
    "range subtype": expression(t.rangeSubtype, ctx),
    ...common(t),
  };
}

const objectKey = (kind: string, schema: string | null, parent: string | null, name: string) =>
  JSON.stringify([kind, schema, parent, name]);

/** Qualifiers that do not tell objects apart on this side: public, pg_catalog, extension schemas. */
export function contextOf(raw: Pick<RawCatalog, "extensions">): NormalizeContext {
  return { ignoredQualifiers: new Set(["public", "pg_catalog", ...raw.extensions.map((e) => e.schema)]) };
}

export function buildSnapshot(raw: RawCatalog): SchemaSnapshot {
  const ctx = contextOf(raw);
  const objects: SchemaObject[] = [];
  const add = (
    kind: string,
    schema: string | null,
    parent: [ParentKind, string] | null,
    name: string,
    properties: Record<string, Property>,
    matchBy = name,
  ) => {
    objects.push({
      kind,
      schema,
      parent: parent?.[1] ?? null,
      parentKind: parent?.[0] ?? null,
      name,
      key: objectKey(kind, schema, parent?.[1] ?? null, matchBy),
      properties,
    });
  };

  for (const s of raw.schemas) add("schema", s.name, null, s.name, common(s));

  const relationKind = new Map<string, ParentKind>();
  for (const r of raw.relations) {
    const kind = RELATION_KIND[r.kind] ?? r.kind;
    if (kind !== "sequence") relationKind.set(`${r.schema}.${r.name}`, kind as ParentKind);
    if (kind === "sequence") continue; // with its parameters below
    add(kind, r.schema, null, r.name, relationProperties(r, ctx));
  }
  const relations = new Map(raw.relations.map((r) => [`${r.schema}.${r.name}`, r]));
  const compositeTypes = new Set(raw.types.filter((t) => t.kind === "c").map((t) => `${t.schema}.${t.name}`));
  const parentOf = (schema: string, table: string): [ParentKind, string] => [
    compositeTypes.has(`${schema}.${table}`) ? "type" : (relationKind.get(`${schema}.${table}`) ?? "table"),
    table,
  ];

  for (const c of raw.columns)
    add("column", c.schema, parentOf(c.schema, c.table), c.name, columnProperties(c, ctx));
  for (const c of raw.constraints) {
    add("constraint", c.schema, parentOf(c.schema, c.table), c.name, {
      type: plain(CONSTRAINT_TYPE[c.kind] ?? c.kind),
      definition: { shown: c.definition, key: constraintBodyKey(c.definition, ctx) },
      deferrable: plain(flag(c.deferrable)),
      "initially deferred": plain(flag(c.deferred)),
      validated: plain(flag(c.validated)),
      "no inherit": plain(flag(c.noInherit)),
      comment: plain(quoted(c.comment)),
    });
  }
  for (const x of raw.indexes)
    add("index", x.schema, parentOf(x.schema, x.table), x.name, indexProperties(x, ctx));
  for (const t of raw.triggers)
    add("trigger", t.schema, parentOf(t.schema, t.table), t.name, triggerProperties(t, ctx));
  for (const p of raw.policies) {
    add("policy", p.schema, parentOf(p.schema, p.table), p.name, {
      command: plain(POLICY_COMMAND[p.command] ?? p.command),
      permissive: plain(p.permissive ? "PERMISSIVE" : "RESTRICTIVE"),
      roles: plain(list(p.roles)),
      using: expression(p.using, ctx),
      "with check": expression(p.withCheck, ctx),
      comment: plain(quoted(p.comment)),
    });
  }
  for (const r of raw.rules) {
    add("rule", r.schema, parentOf(r.schema, r.table), r.name, {
      definition: expression(r.definition, ctx),
      enabled: plain(r.state),
      comment: plain(quoted(r.comment)),
    });
  }
  for (const s of raw.sequences) {
    const relation = relations.get(`${s.schema}.${s.name}`);
    add("sequence", s.schema, null, s.name, {
      "data type": plain(s.type),
      start: plain(s.start),
      increment: plain(s.increment),
      minimum: plain(s.min),
      maximum: plain(s.max),
      cache: plain(s.cache),
      cycle: plain(flag(s.cycle)),
      "owned by":
        s.ownedBy === null
          ? plain(NONE)
          : {
              shown: `${s.identity ? "identity of " : ""}${s.ownedBy}`,
              key: `${s.identity ? "identity " : ""}${normalizeSql(s.ownedBy, ctx)}`,
            },
      ...(relation
        ? {
            persistence: plain(PERSISTENCE[relation.persistence] ?? relation.persistence),
            ...common(relation),
          }
        : {}),
    });
  }
  for (const f of raw.functions) {
    add(
      "function",
      f.schema,
      null,
      `${f.name}(${f.identity})`,
      functionProperties(f, ctx),
      `${f.name}(${normalizeSql(f.argumentTypes, ctx)})`,
    );
  }
  for (const t of raw.types) add("type", t.schema, null, t.name, typeProperties(t, ctx));
  for (const c of raw.domainConstraints) {
    add("constraint", c.schema, ["type", c.type], c.name, {
      definition: { shown: c.definition, key: constraintBodyKey(c.definition, ctx) },
      validated: plain(flag(c.validated)),
      comment: plain(quoted(c.comment)),
    });
  }
  for (const e of raw.extensions) add("extension", null, null, e.name, { version: plain(e.version) });
  for (const o of raw.others) {
    add(
      o.type,
      o.schema,
      null,
      o.identity,
      {
        definition: expression(o.definition, ctx),
        comment: plain(quoted(o.comment)),
      },
      normalizeSql(o.identity, ctx),
    );
  }
  for (const d of raw.defaultAcls) {
    add(
      "default privileges",
      d.schema,
      null,
      `for role ${d.role} on ${DEFAULT_ACL_OBJECTS[d.objectType] ?? d.objectType}`,
      {
        privileges: plain(list(d.acl)),
      },
    );
  }
  return {
    role: raw.role,
    schemas: raw.schemas.map((s) => s.name),
    extensions: raw.extensions,
    objects,
  };
}
