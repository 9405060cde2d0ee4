/**
 * One rule per column, for what a column states itself: its varchar length, its integer range, its
 * numeric precision. The validation layer takes these from the column (src/validation/columns.ts),
 * never restates them; these properties fail if any rule (table schema or operation input) is
 * looser or stricter than the column:
 * - varchar(n): a value of n characters is accepted and one of n + 1 refused by the insert and
 *   update schemas and by every operation input field mapped to the column (operations.ts);
 * - integer: one past the type's range refused; numeric(p, s): one integer digit too many refused;
 * - a rule that restates a length by hand (`req(trimmed(255))` on a varchar) is refused when the
 *   table's schemas are built, so the number cannot be written twice.
 */
import { type Column, getTableColumns, getTableName, type Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { cmdbCiTypes } from "../../src/schema/cmdb/tables.js";
import { vendors } from "../../src/schema/index.js";
import { integerRangeOf, lengthOf, numericOf } from "../../src/validation/columns.js";
import { tableSchemas } from "../../src/validation/factory.js";
import * as v from "../../src/validation/index.js";
import { allTables } from "../support/rows.js";
import { type Obj, operationFields, PREFIXES } from "./operations.js";

const schemas = (Object.entries(v) as [string, unknown][]).filter(
  (e): e is [string, Obj] =>
    /^(insert|update)\w+Schema$/.test(e[0]) && typeof e[1] === "object" && e[1] !== null && "shape" in e[1],
);

/** The insert or update schema of a table (matched by its column keys, as coverage.test.ts does). */
function schemaOf(kind: "insert" | "update", table: Table): Obj {
  const keys = Object.keys(getTableColumns(table)).sort().join(",");
  const found = schemas.find(
    ([n, s]) => n.startsWith(kind) && Object.keys(s.shape).sort().join(",") === keys,
  );
  if (!found) throw new Error(`no ${kind} schema for ${getTableName(table)}`);
  return found[1];
}

/** Values of exactly `length` characters in the shapes the string rules take. */
function valuesOfLength(length: number): string[] {
  const out = ["a".repeat(length), "1".repeat(length)];
  if (length >= 13) out.push(`${"a".repeat(length - 12)}@example.com`);
  // A scrypt PHC string (src/security/passwords.ts) with a hash as long as needed.
  const phc = "$scrypt$ln=1,r=1,p=1$AAAAAAAAAAA$";
  if (length >= phc.length + 22) out.push(`${phc}${"A".repeat(length - phc.length)}`);
  // A host name: labels of at most 63 characters, dot-separated, no label empty.
  const labels: string[] = [];
  let left = length;
  while (left > 0) {
    const take = Math.min(63, left === 65 ? 62 : left);
    labels.push("a".repeat(take));
    left -= take + 1;
  }
  if (labels.join(".").length === length) out.push(labels.join("."));
  return out;
}

const acceptsSome = (rule: z.ZodType, length: number) =>
  valuesOfLength(length).some((value) => rule.safeParse(value).success);

/**
 * varchar columns whose rule is a format that never reaches the column's length (the column is
 * longer than any valid value): only "n + 1 refused" holds for them. Enum columns are listed by
 * the test itself (their values are the column's, drizzle-zod's z.enum).
 */
const SHORTER_FORMATS: Record<string, string> = {
  "sessions.ip_address": "an IP address; varchar(45) is the longest IPv6 text form",
  "assets.mac_address": "a MAC address: 12 to 17 characters",
};

type Case = { label: string; column: Column; rules: [string, z.ZodType][] };

function casesOf(pick: (c: Column) => boolean): Case[] {
  const fields = operationFields();
  return allTables.flatMap((table) => {
    const insert = schemaOf("insert", table);
    const update = schemaOf("update", table);
    return Object.entries(getTableColumns(table))
      .filter(([, column]) => pick(column))
      .map(([key, column]) => {
        const rules: [string, z.ZodType][] = [
          ["insert", insert.shape[key] as z.ZodType],
          ["update", update.shape[key] as z.ZodType],
          ...fields
            .filter((f) => f.table === insert && f.key === key)
            .map((f): [string, z.ZodType] => [f.name, f.field]),
          ...PREFIXES.filter(([, , t, k]) => t === insert && k === key).map(
            ([input, field]): [string, z.ZodType] => [
              `${input}.${field}`,
              (v as unknown as Record<string, Obj>)[input]?.shape[field] as z.ZodType,
            ],
          ),
        ];
        return { label: `${getTableName(table)}.${column.name}`, column, rules };
      });
  });
}

describe("varchar(n): n characters accepted, n + 1 refused, by the table's schemas and every operation input on the column", () => {
  const cases = casesOf((c) => lengthOf(c) !== undefined);

  it("covers the 63 VARCHAR columns of the data model, and their operation inputs", () => {
    expect(cases).toHaveLength(63);
    // Operation fields mapped to a varchar column (so a mapping that silently matches nothing fails).
    expect(cases.flatMap((c) => c.rules.slice(2)).length).toBeGreaterThan(25);
    for (const label of Object.keys(SHORTER_FORMATS)) expect(cases.map((c) => c.label)).toContain(label);
  });

  it.each(cases.map((c) => [c.label, c] as const))("%s", (label, { column, rules }) => {
    const n = lengthOf(column) as number;
    const enumColumn =
      "enumValues" in column && Array.isArray(column.enumValues) && column.enumValues.length > 0;
    for (const [name, rule] of rules) {
      expect(rule, name).toBeDefined();
      expect(acceptsSome(rule, n + 1), `${name} accepts ${n + 1} characters`).toBe(false);
      if (!enumColumn && !SHORTER_FORMATS[label]) {
        expect(acceptsSome(rule, n), `${name} refuses every value of ${n} characters`).toBe(true);
      }
    }
  });
});

describe("integer and numeric(p, s) columns: one past what the column holds is refused", () => {
  it.each(casesOf((c) => integerRangeOf(c) !== undefined).map((c) => [c.label, c] as const))(
    "%s",
    (_label, { column, rules }) => {
      const { min, max } = integerRangeOf(column) as { min: number; max: number };
      for (const [name, rule] of rules) {
        expect(rule.safeParse(max + 1).success, `${name} accepts ${max + 1}`).toBe(false);
        expect(rule.safeParse(min - 1).success, `${name} accepts ${min - 1}`).toBe(false);
      }
    },
  );

  it.each(casesOf((c) => numericOf(c) !== undefined).map((c) => [c.label, c] as const))(
    "%s",
    (_label, { column, rules }) => {
      const { precision, scale } = numericOf(column) as { precision: number; scale: number };
      const fits = `${"9".repeat(precision - scale)}${scale ? `.${"9".repeat(scale)}` : ""}`;
      for (const [name, rule] of rules) {
        expect(rule.safeParse(fits).success, `${name} refuses ${fits}`).toBe(true);
        expect(rule.safeParse(`1${fits}`).success, `${name} accepts 1${fits}`).toBe(false);
        if (scale) expect(rule.safeParse(`${fits}1`).success, `${name} accepts ${fits}1`).toBe(false);
      }
    },
  );
});

describe("a column's bound is stated once", () => {
  it("a rule that restates a varchar's length by hand is refused when the schemas are built", () => {
    expect(() => tableSchemas(vendors, { name: v.req(v.trimmed(255)) })).toThrow(/states its bound/);
    expect(() => tableSchemas(vendors, { phone: v.opt(v.trimmed(20)) })).toThrow(/states its bound/);
  });

  it("a builder on a column that states no bound (text) must be given one", () => {
    expect(() => tableSchemas(cmdbCiTypes, { name: v.req(v.trimmed) })).toThrow(/states no length/);
    expect(() => tableSchemas(cmdbCiTypes, { name: v.req(v.trimmed(255)) })).not.toThrow();
  });

  it("the builder form takes the column's length", () => {
    const { insert } = tableSchemas(vendors, { name: v.req(v.trimmed) });
    expect(insert.shape.name.safeParse("a".repeat(255)).success).toBe(true);
    expect(insert.shape.name.safeParse("a".repeat(256)).success).toBe(false);
    expect(insert.shape.name.safeParse("   ").success).toBe(false);
  });
});
