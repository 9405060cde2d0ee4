/**
 * Drift check: the live schema against the schema the committed migrations produce. The reference
 * is real, not simulated: a scratch database on the same server (CREATE DATABASE ... TEMPLATE
 * template0, migrated, read, dropped) or an in-memory PGlite for the embedded database, so both
 * sides are printed by the same PostgreSQL (format_type, pg_get_*def) and compare as text.
 *
 * Compared per table: columns (type, nullability, default), constraints and indexes by name with
 * their definitions, triggers; and the schema's functions. Left out: the drizzle schema (history),
 * functions an extension owns (uuid-ossp in the legacy database), column order.
 * Equivalences: uuid_generate_v4() = gen_random_uuid(), `public.` qualification, whitespace.
 */
import { randomBytes } from "node:crypto";
import { MIGRATIONS_FOLDER } from "../config.js";
import { createDb, type Database, type DbOrTx } from "../db.js";
import { type LiveFunction, type LiveTable, readCatalog, readFunctions } from "./catalog.js";
import { migrate } from "./runner.js";
import { createDatabaseSql, dropDatabaseSql, maintenance, withDatabase } from "./server.js";

export interface SchemaSnapshot {
  tables: Map<string, LiveTable>;
  functions: LiveFunction[];
}

export type DriftChange = "missing" | "unexpected" | "changed";

export interface DriftItem {
  /** The table it belongs to; null for functions. */
  table: string | null;
  kind: "table" | "column" | "constraint" | "index" | "trigger" | "function";
  name: string;
  /** missing = the migrations create it and the live database lacks it; unexpected = the reverse. */
  change: DriftChange;
  /** For `changed`: what differs, e.g. `type: character varying(20) -> text` (expected -> live). */
  details?: string[];
}

/** Where the reference database is built: next to the live one. */
export type ReferenceTarget = { driver: "postgres"; url: string } | { driver: "pglite" };

export interface ReferenceOptions {
  migrationsFolder?: string;
  /** Reference = migrations up to and including this tag (baseline). Default: all. */
  to?: string;
  /** Name of the scratch database on a server (default netops_drift_<random>). */
  scratchName?: string;
}

export async function readSchema(db: DbOrTx, schemaName = "public"): Promise<SchemaSnapshot> {
  return { tables: await readCatalog(db, schemaName), functions: await readFunctions(db, schemaName) };
}

const LITERAL = "'(?:[^']|'')*'";
const TYPE = String.raw`[a-z_][a-z_ ]*(?:\(\d+(?:,\s*\d+)?\))?`;

/**
 * `(ARRAY['a'::character varying, ...])::text[]` (how PostgreSQL prints a CHECK created from
 * `col IN ('a', ...)`) re-parses, after a pg_dump round trip, as
 * `ARRAY[('a'::character varying)::text, ...]`. Both mean an array of text literals: print both as
 * `ARRAY['a'::text, ...]`.
 */
function canonicalLiteralArrays(text: string): string {
  return text
    .replace(
      new RegExp(String.raw`\(ARRAY\[((?:${LITERAL}::${TYPE}(?:,\s*)?)+)\]\)::(${TYPE})\[\]`, "g"),
      (_m, items: string, type: string) =>
        `ARRAY[${items.replace(new RegExp(`(${LITERAL})::${TYPE}`, "g"), `$1::${type}`)}]`,
    )
    .replace(new RegExp(String.raw`\((${LITERAL})::${TYPE}\)::(${TYPE})`, "g"), "$1::$2");
}

/**
 * Definitions compare after normalising what is equivalent: the uuid-ossp generator and the core
 * one, schema qualification (pg_dump's empty search_path prints `public.`), literal arrays after a
 * dump round trip, whitespace.
 */
export function normalizeDefinition(text: string | null): string | null {
  if (text === null) return null;
  return canonicalLiteralArrays(text)
    .replace(/(?:"?public"?\.)?"?uuid_generate_v4"?\(\)/g, "gen_random_uuid()")
    .replace(/(?<![\w"])"?public"?\.(?=["\w])/g, "")
    .replace(/\s+/g, " ")
    .replace(/\(\s+/g, "(")
    .replace(/\s+\)/g, ")")
    .trim();
}

const changed = (label: string, expected: unknown, actual: unknown): string[] => {
  const e =
    typeof expected === "string" || expected === null
      ? normalizeDefinition(expected as string | null)
      : expected;
  const a =
    typeof actual === "string" || actual === null ? normalizeDefinition(actual as string | null) : actual;
  return e === a ? [] : [`${label}: ${String(expected)} -> ${String(actual)}`];
};

function diffNamed<T extends { name: string }>(
  table: string,
  kind: DriftItem["kind"],
  expected: T[],
  actual: T[],
  compare: (e: T, a: T) => string[],
): DriftItem[] {
  const items: DriftItem[] = [];
  const live = new Map(actual.map((x) => [x.name, x]));
  for (const e of expected) {
    const a = live.get(e.name);
    if (!a) items.push({ table, kind, name: e.name, change: "missing" });
    else {
      const details = compare(e, a);
      if (details.length > 0) items.push({ table, kind, name: e.name, change: "changed", details });
    }
  }
  const known = new Set(expected.map((x) => x.name));
  for (const a of actual) {
    if (!known.has(a.name)) items.push({ table, kind, name: a.name, change: "unexpected" });
  }
  return items;
}

/** Pure: every difference between the reference (expected) and the live schema (actual). */
export function diffSchemas(expected: SchemaSnapshot, actual: SchemaSnapshot): DriftItem[] {
  const items: DriftItem[] = [];
  const names = [...new Set([...expected.tables.keys(), ...actual.tables.keys()])].sort();
  for (const name of names) {
    const e = expected.tables.get(name);
    const a = actual.tables.get(name);
    if (!a) {
      items.push({ table: name, kind: "table", name, change: "missing" });
      continue;
    }
    if (!e) {
      items.push({ table: name, kind: "table", name, change: "unexpected" });
      continue;
    }
    items.push(
      ...diffNamed(name, "column", e.columns, a.columns, (x, y) => [
        ...changed("type", x.type, y.type),
        ...(x.notNull === y.notNull
          ? []
          : [`nullability: ${x.notNull ? "NOT NULL" : "NULL"} -> ${y.notNull ? "NOT NULL" : "NULL"}`]),
        ...changed("default", x.default, y.default),
      ]),
      ...diffNamed(name, "constraint", e.constraints, a.constraints, (x, y) =>
        changed("definition", x.definition, y.definition),
      ),
      ...diffNamed(name, "index", e.indexes, a.indexes, (x, y) =>
        changed("definition", x.definition, y.definition),
      ),
      ...diffNamed(name, "trigger", e.triggers, a.triggers, (x, y) => [
        ...changed("definition", x.definition, y.definition),
        ...(x.enabled === y.enabled ? [] : [`enabled: ${x.enabled} -> ${y.enabled}`]),
      ]),
    );
  }
  const asNamed = (fs: LiveFunction[]) => fs.map((f) => ({ ...f, name: f.signature }));
  items.push(
    ...diffNamed("", "function", asNamed(expected.functions), asNamed(actual.functions), (x, y) => [
      ...changed("kind", x.kind, y.kind),
      ...changed("returns", x.returns, y.returns),
      ...changed("language", x.language, y.language),
      ...(normalizeDefinition(x.definition) === normalizeDefinition(y.definition)
        ? []
        : ["definition differs"]),
    ]).map((item) => ({ ...item, table: null })),
  );
  return items;
}

const SIGN: Record<DriftChange, string> = { missing: "-", unexpected: "+", changed: "~" };
const WORD: Record<DriftChange, string> = {
  missing: "missing (the migrations create it; the database lacks it)",
  unexpected: "unexpected (in the database; no migration creates it)",
  changed: "differs",
};

/** A readable diff grouped by table; empty string when there is no drift. */
export function formatDrift(items: DriftItem[]): string {
  const groups = new Map<string, DriftItem[]>();
  for (const item of items) {
    const key = item.table === null ? "functions" : `table ${item.table}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const out: string[] = [];
  for (const [group, list] of groups) {
    out.push(group);
    for (const item of list) {
      out.push(`  ${SIGN[item.change]} ${item.kind} ${item.name}: ${WORD[item.change]}`);
      for (const d of item.details ?? []) out.push(`      ${d}`);
    }
  }
  if (out.length > 0)
    out.push(
      "(- = expected by migrations, missing live; + = live only; ~ = differs, shown expected -> live)",
    );
  return out.join("\n");
}

/** Build the reference schema: a scratch database migrated from `migrationsFolder`, read, then dropped. */
export async function referenceSchema(
  target: ReferenceTarget,
  options: ReferenceOptions = {},
): Promise<SchemaSnapshot> {
  const migrateOptions = {
    migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER,
    ...(options.to ? { to: options.to } : {}),
  };
  if (target.driver === "pglite") {
    const scratch = await createDb({ dataDir: "memory://" });
    try {
      await migrate(scratch.db, migrateOptions);
      return await readSchema(scratch.db);
    } finally {
      await scratch.close();
    }
  }
  const name = options.scratchName ?? `netops_drift_${randomBytes(4).toString("hex")}`;
  // Created through the live database's own URL: needs CREATEDB, not a second set of credentials.
  await maintenance(target.url, [createDatabaseSql(name, "template0")]);
  try {
    const scratch = await createDb({ url: withDatabase(target.url, name), max: 1 });
    try {
      await migrate(scratch.db, migrateOptions);
      return await readSchema(scratch.db);
    } finally {
      await scratch.close();
    }
  } finally {
    await maintenance(target.url, [dropDatabaseSql(name)]);
  }
}

/** Drift of `live` against the migrations; empty when none. */
export async function checkDrift(
  live: Database,
  target: ReferenceTarget,
  options: ReferenceOptions = {},
): Promise<DriftItem[]> {
  const expected = await referenceSchema(target, options);
  return diffSchemas(expected, await readSchema(live));
}
