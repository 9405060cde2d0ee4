/**
 * What a column states about its values (src/schema), read from drizzle's column metadata: the
 * length of a varchar(n)/char(n), the range of an integer type, the precision and scale of a
 * numeric(p, s); and the one bound chosen here for `text` columns, which state none. The
 * validation layer takes these from here, never restates them: a column's length, range or
 * precision is written once, in its definition, and the text bound once, below.
 */
import { type Column, is } from "drizzle-orm";
import { PgBigInt53, PgChar, PgInteger, PgNumeric, PgSmallInt, PgText, PgVarchar } from "drizzle-orm/pg-core";

/**
 * The length a `text` column's rule allows when it is built from the column (`req(trimmed)` on a
 * name, title, owner or label: the spec declares these `text`, without a length). Bounded anyway,
 * so one request cannot store megabytes in a column every list and export shows; 255 because it
 * is the length the spec gives the same kind of column where it declares one (`vendors.name`,
 * `locations.name`, `users.name`, `asset_models.model`, `conversations.title`,
 * `maintenance_tickets.title` are varchar(255)), so a name that fits one name column fits every
 * other. A text column meant for longer text (notes, descriptions, file names) gives its rule its
 * own, different bound.
 */
export const TEXT_COLUMN_LENGTH = 255;

/**
 * PostgreSQL's largest numeric precision ("The maximum precision that can be explicitly specified
 * in a numeric type declaration is 1000", Numeric Types): the bound of a numeric(p, s) that a
 * field definition declares for its values.
 */
export const NUMERIC_MAX_PRECISION = 1000;

/** `n` of a varchar(n) or char(n) column; undefined for a column without a declared length (text...). */
export function lengthOf(column: Column): number | undefined {
  if (is(column, PgVarchar) || is(column, PgChar)) return column.length;
  return undefined;
}

/** Like {@link lengthOf}, for a column that must have one. */
export function requireLength(column: Column): number {
  const length = lengthOf(column);
  if (length === undefined) throw new Error(`column ${column.name} (${column.getSQLType()}) has no length`);
  return length;
}

/** The values an integer column holds (bigint in number mode: JavaScript's safe integers). */
export function integerRangeOf(column: Column): { min: number; max: number } | undefined {
  if (is(column, PgSmallInt)) return { min: -32_768, max: 32_767 };
  if (is(column, PgInteger)) return { min: -2_147_483_648, max: 2_147_483_647 };
  if (is(column, PgBigInt53)) return { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
  return undefined;
}

/** precision and scale of a numeric(p, s) column; undefined for numeric without them. */
export function numericOf(column: Column): { precision: number; scale: number } | undefined {
  if (is(column, PgNumeric) && column.precision !== undefined) {
    return { precision: column.precision, scale: column.scale ?? 0 };
  }
  return undefined;
}

/** The bound a column states, as a rule builder takes it: a length, an integer maximum, or numeric(p, s). */
export type ColumnBound = number | { precision: number; scale: number };

/** {@link TEXT_COLUMN_LENGTH} for a `text` column; undefined for any other. */
export function textLengthOf(column: Column): number | undefined {
  return is(column, PgText) ? TEXT_COLUMN_LENGTH : undefined;
}

/**
 * The bound of a column for a rule builder (`req(trimmed)`, `opt(nonNegativeInt)`, `opt(decimal)`):
 * its declared length, range or precision, or for a `text` column {@link TEXT_COLUMN_LENGTH}.
 */
export function boundOf(column: Column): ColumnBound | undefined {
  return lengthOf(column) ?? textLengthOf(column) ?? integerRangeOf(column)?.max ?? numericOf(column);
}
