/**
 * drizzle-zod schema builders shared by every domain. Timestamp columns coerce, so an ISO 8601
 * string from a JSON body becomes a Date (an unparseable one is rejected as an invalid date).
 *
 * `tableSchemas(table, refine)` is the one way a table's schemas are built: `refine` holds the
 * rules of its columns beyond their SQL type (src/validation/refinements.ts), stated once, each
 * made from its column (`req(trimmed)` takes the varchar's length from src/schema, `opt(decimal)`
 * its numeric(p, s): no length, range or precision is written twice); the insert and update
 * schemas are strict (unknown keys refused), and every operation input that writes a column is
 * derived from them (`.pick()` / `.extend()`), so it cannot be looser.
 */
import { type Column, getTableColumns, type Table } from "drizzle-orm";
import type { BuildSchema, NoUnknownKeys } from "drizzle-zod";
import { createSchemaFactory } from "drizzle-zod";
import { z } from "zod";
import { requireLength } from "./columns.js";
import type { ColumnRule } from "./refinements.js";

const COERCE = { date: true } as const;
type Coerce = typeof COERCE;

export const { createInsertSchema, createSelectSchema, createUpdateSchema } = createSchemaFactory({
  coerce: COERCE,
});

/** Column rules (req/opt) by column key: each is called with its drizzle column. */
type Refine<T extends Table> = { [K in keyof T["$inferInsert"]]?: ColumnRule };

/** The insert, update and select schemas of a table, from one set of column rules. */
export function tableSchemas<T extends Table, R extends Refine<T>>(
  table: T,
  refine: NoUnknownKeys<R, T["$inferInsert"]>,
) {
  const columns: Record<string, Column> = getTableColumns(table);
  // drizzle-zod function refinements (they keep its nullable/optional wrapping), each bound to its column.
  const bound: Record<string, () => z.ZodType> = {};
  for (const [key, rule] of Object.entries(refine as Record<string, ColumnRule>)) {
    const column = columns[key];
    if (!column) throw new Error(`tableSchemas: no column ${key}`);
    bound[key] = () => rule(column);
  }
  return {
    // drizzle-zod types its refinements per column schema, ours are per column: the types come from R.
    insert: createInsertSchema(table, bound as never).strict() as ReturnType<
      BuildSchema<"insert", T["_"]["columns"], R, Coerce>["strict"]
    >,
    update: createUpdateSchema(table, bound as never).strict() as ReturnType<
      BuildSchema<"update", T["_"]["columns"], R, Coerce>["strict"]
    >,
    select: createSelectSchema(table) as BuildSchema<"select", T["_"]["columns"], undefined, Coerce>,
  };
}

/** A schema without its optional/nullable wrappers (drizzle-zod wraps a nullable column's rule in both). */
type Bare<T> = T extends z.ZodOptional<infer I> ? Bare<I> : T extends z.ZodNullable<infer I> ? Bare<I> : T;
/** An operation field from a column's rule: required stays required; optional becomes absent-or-value (no null). */
type InputField<T> = T extends z.ZodOptional<z.ZodType> | z.ZodNullable<z.ZodType>
  ? z.ZodOptional<Bare<T>>
  : T;

function bare(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

/**
 * The fields of an operation input that write these columns, taken from the table's insert schema
 * (so each is exactly the column's rule): a column the insert requires stays required, an optional
 * one becomes optional (absent or a value; operations do not take null for "not given").
 */
export function columnFields<S extends z.ZodRawShape, K extends keyof S & string>(
  schema: z.ZodObject<S>,
  ...keys: K[]
): { [P in K]: InputField<S[P]> } {
  const fields: Record<string, z.ZodType> = {};
  for (const key of keys) {
    const field = schema.shape[key] as z.ZodType;
    fields[key] =
      field instanceof z.ZodOptional || field instanceof z.ZodNullable ? bare(field).optional() : field;
  }
  return fields as { [P in K]: InputField<S[P]> };
}

/** A column's rule alone (required, no null): for lookups and filters on that column. */
export function columnRule<S extends z.ZodRawShape, K extends keyof S & string>(
  schema: z.ZodObject<S>,
  key: K,
): Bare<S[K]> {
  return bare(schema.shape[key] as z.ZodType) as unknown as Bare<S[K]>;
}

/** A search prefix of a varchar column: trimmed, non-empty, at most the column's length. */
export function prefixOf(column: Column) {
  const max = requireLength(column);
  return z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
}
