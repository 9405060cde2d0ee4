/**
 * Drift check: the live schema against the schema the committed migrations produce. The reference
 * is real, not simulated: a scratch database on the same server (src/migrate/scratch.ts: created
 * from template0, migrated, read, dropped) or an in-memory PGlite for the embedded database, so both
 * sides are printed by the same PostgreSQL and compare as text after normalisation
 * (src/migrate/sql-normalize.ts).
 *
 * Why catalog queries rather than a kept tool (scripts/drift-catch-rates.ts on the drift corpus,
 * README "Drift check"): they found 164/164 single changes with the object and property named and
 * no false difference; @pgkit/migra found 108/164 (not index validity, comments, sequence
 * parameters, ...) with 2/4 false differences; a normalised `pg_dump --schema-only` diff 163/164
 * (not extension versions) with 3/4 false differences. Neither tool runs against PGlite.
 *
 * What is compared (README): every object in the schemas the migrations create objects in, each
 * with all its properties (src/migrate/schema-objects.ts); extensions by name and version wherever
 * installed. Not compared: other schemas, objects an extension owns, extensions no migration creates
 * (both listed as notes), owners unless the migrations set one, the drizzle history schema.
 */
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER } from "../config.js";
import { createDb, type Database, type DbOrTx } from "../db.js";
import { readRawCatalog } from "./catalog.js";
import { lineDiff } from "./line-diff.js";
import { migrate } from "./runner.js";
import { buildSnapshot, type SchemaObject, type SchemaSnapshot } from "./schema-objects.js";
import { dropStaleScratchDatabases, scratchDatabaseName, withScratchDatabase } from "./scratch.js";

export type { SchemaSnapshot } from "./schema-objects.js";

export type DriftChange = "missing" | "unexpected" | "changed";

export interface PropertyDifference {
  /** e.g. `type`, `valid`, `enabled`, `body`. */
  property: string;
  expected: string;
  live: string;
  /** For multi-line properties (function bodies): a unified line diff, expected -> live. */
  diff?: string[];
}

export interface DriftItem {
  /** table, column, constraint, index, trigger, policy, view, sequence, function, type, extension, ... */
  kind: string;
  /** null for extensions. */
  schema: string | null;
  /** The table (view, type) the object belongs to; a table's (view's) own item names itself; else null. */
  table: string | null;
  /** What `table` names when the object belongs to it: table, view, materialized view, foreign table, type. */
  tableKind?: string;
  name: string;
  /** missing = the migrations create it and the live database lacks it; unexpected = the reverse. */
  change: DriftChange;
  /** For `changed`: each property that differs. */
  differences?: PropertyDifference[];
}

export interface DriftReport {
  items: DriftItem[];
  /** What was deliberately not compared (schemas and extensions no migration creates). */
  notes: string[];
}

/** Where the reference database is built: next to the live one. */
export type ReferenceTarget = { driver: "postgres"; url: string } | { driver: "pglite" };

export interface ReferenceOptions {
  migrationsFolder?: string;
  /** Reference = migrations up to and including this tag (baseline). Default: all. */
  to?: string;
  /** Name of the scratch database on a server (default netops_drift_<time>_<pid>_<random>). */
  scratchName?: string;
  /** Progress and housekeeping lines (a stale scratch database dropped). */
  log?: (line: string) => void;
}

/**
 * Read a database's schema. search_path is pinned to `public` for the read, so names print the
 * same whatever the session's or database's own search_path is.
 */
export async function readSchema(db: DbOrTx): Promise<SchemaSnapshot> {
  const raw = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('search_path', 'public', true)`);
    return readRawCatalog(tx);
  });
  return buildSnapshot(raw);
}

const PLURAL: Record<string, string> = {
  schema: "schemas",
  sequence: "sequences",
  function: "functions",
  type: "types",
  extension: "extensions",
  "default privileges": "default privileges",
};

const qualified = (schema: string | null, name: string) =>
  schema === null || schema === "public" ? name : `${schema}.${name}`;
const TABLE_LIKE = new Set(["table", "view", "materialized view", "foreign table"]);

function tableOf(o: SchemaObject): string | null {
  if (o.parent !== null) return o.parent;
  return TABLE_LIKE.has(o.kind) ? o.name : null;
}

/** Owners are compared only where the migrations set one (the reference owner is not the migrating role). */
function ownerCompared(expected: SchemaSnapshot, o: SchemaObject): boolean {
  const owner = o.properties.owner?.key;
  if (owner === undefined || owner === expected.role) return false;
  // The public schema comes with the database (owner pg_database_owner), not from a migration.
  return !(o.kind === "schema" && o.name === "public");
}

function compare(expected: SchemaSnapshot, e: SchemaObject, a: SchemaObject): PropertyDifference[] {
  const differences: PropertyDifference[] = [];
  const names = [...new Set([...Object.keys(e.properties), ...Object.keys(a.properties)])];
  for (const property of names) {
    if (property === "owner" && !ownerCompared(expected, e)) continue;
    const x = e.properties[property];
    const y = a.properties[property];
    if (x?.key === y?.key) continue;
    const difference: PropertyDifference = {
      property,
      expected: x?.shown ?? "(none)",
      live: y?.shown ?? "(none)",
    };
    if (x?.multiline || y?.multiline) difference.diff = lineDiff(x?.shown ?? "", y?.shown ?? "");
    differences.push(difference);
  }
  return differences;
}

/** Pure: every difference between the reference (expected) and the live schema, plus what was not compared. */
export function compareSchemas(expected: SchemaSnapshot, actual: SchemaSnapshot): DriftReport {
  const owned = new Set(expected.schemas);
  const createdExtensions = new Set(expected.extensions.map((e) => e.name));
  const inScope = (o: SchemaObject) =>
    o.schema === null ? createdExtensions.has(o.name) : owned.has(o.schema);
  const e = new Map(expected.objects.filter(inScope).map((o) => [o.key, o]));
  const a = new Map(actual.objects.filter(inScope).map((o) => [o.key, o]));
  const keyOf = (kind: string, schema: string | null, name: string) =>
    JSON.stringify([kind, schema, null, name]);
  /** A sub-object whose table (schema) is itself missing or unexpected is not listed again. */
  const parentPresent = (o: SchemaObject, other: Map<string, SchemaObject>) =>
    (o.schema === null || o.kind === "schema" || other.has(keyOf("schema", o.schema, o.schema))) &&
    (o.parent === null || other.has(keyOf(o.parentKind ?? "table", o.schema, o.parent)));

  const item = (o: SchemaObject, change: DriftChange, differences?: PropertyDifference[]): DriftItem => ({
    kind: o.kind,
    schema: o.schema,
    table: tableOf(o),
    ...(o.parentKind ? { tableKind: o.parentKind } : {}),
    name: o.name,
    change,
    ...(differences ? { differences } : {}),
  });
  const items: DriftItem[] = [];
  for (const [key, x] of e) {
    const y = a.get(key);
    if (!y) {
      if (parentPresent(x, a)) items.push(item(x, "missing"));
      continue;
    }
    const differences = compare(expected, x, y);
    if (differences.length > 0) items.push(item(x, "changed", differences));
  }
  for (const [key, y] of a) {
    if (!e.has(key) && parentPresent(y, e)) items.push(item(y, "unexpected"));
  }

  const notes = [
    ...actual.schemas
      .filter((s) => !owned.has(s))
      .map((s) => `schema ${s}: no migration creates objects in it; not compared`),
    ...actual.extensions
      .filter((x) => !createdExtensions.has(x.name))
      .map(
        (x) =>
          `extension ${x.name} ${x.version} (in schema ${x.schema}): no migration creates it; not compared`,
      ),
  ];
  return { items, notes };
}

/** Pure: every difference between the reference (expected) and the live schema. */
export function diffSchemas(expected: SchemaSnapshot, actual: SchemaSnapshot): DriftItem[] {
  return compareSchemas(expected, actual).items;
}

const SIGN: Record<DriftChange, string> = { missing: "-", unexpected: "+", changed: "~" };
const WORD: Record<DriftChange, string> = {
  missing: "missing (the migrations create it; the database lacks it)",
  unexpected: "unexpected (in the database; no migration creates it)",
  changed: "differs",
};

function groupOf(item: DriftItem): string {
  if (item.table !== null) return `${item.tableKind ?? item.kind} ${qualified(item.schema, item.table)}`;
  return PLURAL[item.kind] ?? "other objects";
}

/** A readable diff grouped by table; empty string when there is no drift. */
export function formatDrift(items: DriftItem[], notes: string[] = []): string {
  const groups = new Map<string, DriftItem[]>();
  for (const item of items) groups.set(groupOf(item), [...(groups.get(groupOf(item)) ?? []), item]);
  const out: string[] = [];
  for (const [group, list] of groups) {
    out.push(group);
    for (const item of list) {
      const name = item.table === null ? qualified(item.schema, item.name) : item.name;
      out.push(`  ${SIGN[item.change]} ${item.kind} ${name}: ${WORD[item.change]}`);
      for (const d of item.differences ?? []) {
        if (d.diff) {
          out.push(`      ${d.property}: (- expected, + live)`);
          for (const line of d.diff) out.push(`        ${line}`);
        } else out.push(`      ${d.property}: ${d.expected} -> ${d.live}`);
      }
    }
  }
  if (out.length > 0)
    out.push(
      "(- = expected by migrations, missing live; + = live only; ~ = differs, shown expected -> live)",
    );
  for (const note of notes) out.push(`note: ${note}`);
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
  for (const stale of await dropStaleScratchDatabases(target.url)) {
    options.log?.(`dropped stale scratch database ${stale} (left by an interrupted run)`);
  }
  // Created through the live database's own URL: needs CREATEDB, not a second set of credentials.
  return withScratchDatabase(target.url, options.scratchName ?? scratchDatabaseName(), async (url) => {
    const scratch = await createDb({ url, max: 1 });
    try {
      await migrate(scratch.db, migrateOptions);
      return await readSchema(scratch.db);
    } finally {
      await scratch.close();
    }
  });
}

/** Drift of `live` against the migrations, with what was not compared. */
export async function driftReport(
  live: Database,
  target: ReferenceTarget,
  options: ReferenceOptions = {},
): Promise<DriftReport> {
  const expected = await referenceSchema(target, options);
  return compareSchemas(expected, await readSchema(live));
}

/** Drift of `live` against the migrations; empty when none. */
export async function checkDrift(
  live: Database,
  target: ReferenceTarget,
  options: ReferenceOptions = {},
): Promise<DriftItem[]> {
  return (await driftReport(live, target, options)).items;
}
