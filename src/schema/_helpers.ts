/**
 * Column and constraint helpers shared by every domain module.
 *
 * Names follow PostgreSQL's own defaults for the documented DDL (`<table>_pkey`,
 * `<table>_<col>_key`, `<table>_<col>_fkey`, `<table>_<col>_check`) so a production database
 * built from the legacy pg_dump can be baselined and drift-checked by exact name.
 */
import { type SQL, sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  integer,
  jsonb,
  numeric,
  type PgColumn,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

/** Any JSON value, as stored in a JSONB column. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** UUID primary key. gen_random_uuid() is core since PostgreSQL 13 (no uuid-ossp, runs on PGlite). */
export const id = () => uuid("id").primaryKey().defaultRandom();

/** Every datetime is timestamptz; values are JS Dates. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** created_at defaults to now(); NOT NULL since migration 0001 (0000 keeps the documented nullable column). */
export const createdAt = () => timestamptz("created_at").notNull().defaultNow();

/**
 * updated_at defaults to now() and is NOT NULL since 0001; the trigger `set_updated_at` (migration
 * 0002) keeps it current on every UPDATE, raw SQL included, so no `$onUpdate` here.
 */
export const updatedAt = () => timestamptz("updated_at").notNull().defaultNow();

/** JSONB object column with the spec's `DEFAULT '{}'`. */
export const jsonObject = (name: string) => jsonb(name).$type<JsonObject>().default({});

type OnDelete = "cascade" | "set null" | "restrict";

/**
 * `'a', 'b'`: a constant list as SQL string literals, not parameters, for CHECKs and partial-index
 * predicates and for the queries that must match such a predicate (the planner proves a query
 * implies an index's predicate only from constants: with parameters, a generic plan cannot use it).
 */
export function literalList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql.raw(`'${v.replaceAll("'", "''")}'`)),
    sql`, `,
  );
}

/**
 * Named constraints of one table, spelled the way PostgreSQL names them for inline DDL.
 * `const c = constraintsOf("assets")` then, in the table callback, `c.fk(t.modelId, ...)`.
 */
export function constraintsOf(table: string) {
  const names = (cols: PgColumn[]) => cols.map((col) => col.name).join("_");
  return {
    /** FOREIGN KEY named `<table>_<col>_fkey`; no action given = PostgreSQL's NO ACTION, as documented. */
    fk(column: PgColumn, target: PgColumn, onDelete?: OnDelete) {
      const key = foreignKey({
        name: `${table}_${column.name}_fkey`,
        columns: [column],
        foreignColumns: [target],
      });
      return onDelete ? key.onDelete(onDelete) : key;
    },
    /** UNIQUE named `<table>_<cols>_key`. */
    unique(...cols: [PgColumn, ...PgColumn[]]) {
      return unique(`${table}_${names(cols)}_key`).on(...cols);
    },
    /**
     * CHECK (<col> IN (...)) named `<table>_<col>_check`, built from the same `as const` list that
     * types the column and feeds the zod enum, so the three never disagree.
     */
    oneOf(column: PgColumn, values: readonly string[]) {
      return check(`${table}_${column.name}_check`, sql`${column} IN (${literalList(values)})`);
    },
    /** CHECK named `<table>_<col>_check` with an arbitrary condition on that column. */
    check(column: PgColumn, condition: SQL) {
      return check(`${table}_${column.name}_check`, condition);
    },
  };
}

/**
 * Values of the `field_type` column of spec definitions and CI attribute definitions. The document
 * lists them ending in "etc.", so 0000 has no CHECK; the CHECK from this list comes in migrations
 * 0005 (NOT VALID) and 0006 (VALIDATE).
 */
export const FIELD_TYPES = ["string", "number", "boolean", "enum", "date", "ip", "mac"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Severity of repair orders and maintenance tickets. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lifecycle of a versioned definition (asset category spec versions, CI type versions). */
export const DEFINITION_VERSION_STATUSES = ["draft", "active", "retired"] as const;
export type DefinitionVersionStatus = (typeof DEFINITION_VERSION_STATUSES)[number];

/**
 * Field-definition columns of `asset_category_spec_defs`; `cmdb_ci_type_attr_defs` has the same
 * ones (the spec says "similar to"), so both tables spread this and one dynamic validator reads
 * either.
 */
export const fieldDefinitionColumns = () => ({
  key: text("key").notNull(),
  label: text("label").notNull(),
  fieldType: text("field_type", { enum: FIELD_TYPES }).notNull(),
  unit: text("unit"),
  required: boolean("required").default(false),
  enumValues: jsonb("enum_values").$type<string[]>(),
  pattern: text("pattern"),
  minLen: integer("min_len"),
  maxLen: integer("max_len"),
  minValue: numeric("min_value"),
  maxValue: numeric("max_value"),
  stepValue: numeric("step_value"),
  precision: integer("precision"),
  scale: integer("scale"),
  defaultValue: jsonb("default_value").$type<Json>(),
  helpText: text("help_text"),
  sortOrder: integer("sort_order").default(0),
  isActive: boolean("is_active").default(true),
  isReadonly: boolean("is_readonly").default(false),
  isSearchable: boolean("is_searchable").default(false),
  isFilterable: boolean("is_filterable").default(false),
});
