/**
 * What a column states about its values (src/schema), read from drizzle's column metadata: the
 * length of a varchar(n)/char(n), the range of an integer type, the precision and scale of a
 * numeric(p, s). The validation layer takes these from here, never restates them: a column's
 * length, range or precision is written once, in its definition.
 */
import { type Column, is } from "drizzle-orm";
import { PgBigInt53, PgChar, PgInteger, PgNumeric, PgSmallInt, PgVarchar } from "drizzle-orm/pg-core";

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

/** The bound of a column for a rule builder (`req(trimmed)`, `opt(nonNegativeInt)`, `opt(decimal)`), if it states one. */
export function boundOf(column: Column): ColumnBound | undefined {
  return lengthOf(column) ?? integerRangeOf(column)?.max ?? numericOf(column);
}
