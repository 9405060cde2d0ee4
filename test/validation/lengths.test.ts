/**
 * One rule per column, for what a column states itself: its varchar length, its integer range, its
 * numeric precision. The validation layer takes these from the column (src/validation/columns.ts),
 * never restates them; these properties fail if any rule (table schema or operation input) is
 * looser or stricter than the column:
 * - varchar(n): a value of n characters is accepted and one of n + 1 refused by the insert and
 *   update schemas and by every operation input field mapped to the column (operations.ts);
 * - integer: one past the type's range refused; numeric(p, s): one integer digit too many refused;
 * - a rule that restates a length by hand (`req(trimmed(255))` on a varchar) is refused when the
 *   table's schemas are built, so the number cannot be written twice;
 * - text columns (no length in the database) that name or title something take one chosen bound,
 *   TEXT_COLUMN_LENGTH, from the column's rule (`req(trimmed)`): which columns carry it is checked
 *   against PostgreSQL's catalog (information_schema.columns), and no validation module writes
 *   the number itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Column, getTableColumns, getTableName, sql, type Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { rows } from "../../src/db.js";
import { cmdbCiTypes } from "../../src/schema/cmdb/tables.js";
import { assetCategorySpecDefs, vendors } from "../../src/schema/index.js";
import {
  integerRangeOf,
  lengthOf,
  numericOf,
  TEXT_COLUMN_LENGTH,
  textLengthOf,
} from "../../src/validation/columns.js";
import { tableSchemas } from "../../src/validation/factory.js";
import * as v from "../../src/validation/index.js";
import { allTables, tableByName } from "../support/rows.js";
import { useTestDatabase } from "../support/test-db.js";
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
  if (length >= 3) out.push(`a/${"b".repeat(length - 2)}`); // a MIME type
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

  it("a builder on a column that states no bound (numeric without precision) must be given one", () => {
    expect(() => tableSchemas(assetCategorySpecDefs, { minValue: v.opt(v.decimal) })).toThrow(
      /states no length/,
    );
  });

  it("a builder on a text column takes TEXT_COLUMN_LENGTH; a text column may be given another bound", () => {
    const { insert } = tableSchemas(cmdbCiTypes, { name: v.req(v.trimmed) });
    expect(insert.shape.name.safeParse("a".repeat(TEXT_COLUMN_LENGTH)).success).toBe(true);
    expect(insert.shape.name.safeParse("a".repeat(TEXT_COLUMN_LENGTH + 1)).success).toBe(false);
    const notes = tableSchemas(cmdbCiTypes, { description: v.opt(v.trimmed(2000)) }).insert.shape;
    expect(notes.description.safeParse("a".repeat(2000)).success).toBe(true);
  });

  it("the builder form takes the column's length", () => {
    const { insert } = tableSchemas(vendors, { name: v.req(v.trimmed) });
    expect(insert.shape.name.safeParse("a".repeat(255)).success).toBe(true);
    expect(insert.shape.name.safeParse("a".repeat(256)).success).toBe(false);
    expect(insert.shape.name.safeParse("   ").success).toBe(false);
  });
});

/** The maximum a rule states for a string (its too_big issue on a very long one), if any. */
function maximumOf(rule: z.ZodType): number | undefined {
  const result = rule.safeParse("a".repeat(100_000));
  const issue = result.error?.issues.find((i) => i.code === "too_big" && i.origin === "string");
  return issue && "maximum" in issue ? Number(issue.maximum) : undefined;
}

/**
 * The text columns (by the spec: no length) that name, title or label something, and take
 * TEXT_COLUMN_LENGTH from their rule. Written from the spec's column list, not from the schemas.
 */
const NAME_COLUMNS = [
  "asset_attachments.mime_type",
  "asset_category_spec_defs.label",
  "attachments.mime_type",
  "cmdb_ci_type_attr_defs.label",
  "cmdb_ci_types.name",
  "cmdb_cis.name",
  "cmdb_cis.owner_team",
  "cmdb_relationship_types.name",
  "cmdb_relationship_types.reverse_name",
  "cmdb_services.name",
  "cmdb_services.owner",
  "cmdb_services.sla",
  "repair_order_parts.part_name",
  "repair_orders.technician_name",
  "repair_orders.title",
  "spare_parts.manufacturer",
  "spare_parts.model",
  "spare_parts.name",
  "warehouses.name",
  "workflow_requests.from_dept",
  "workflow_requests.requested_by",
  "workflow_requests.to_dept",
];
/**
 * Text columns bounded by the varchar column of the same meaning, also 255: those that name a
 * person as asset_events.actor_user_id (actorUserId), serial numbers as assets.serial_no.
 */
const BORROWED_COLUMNS = [
  "asset_category_spec_versions.created_by",
  "cmdb_ci_type_versions.created_by",
  "inventory_sessions.created_by",
  "repair_order_parts.serial_no",
  "repair_orders.created_by",
  "spare_part_movements.actor_user_id",
  "stock_document_lines.serial_no",
  "stock_documents.approved_by",
  "stock_documents.created_by",
  "workflow_requests.approved_by",
];
/** varchar name/title columns of the spec: the length TEXT_COLUMN_LENGTH copies (columns.ts says why). */
const SPEC_NAME_VARCHARS = [
  "vendors.name",
  "locations.name",
  "users.name",
  "asset_models.model",
  "conversations.title",
  "maintenance_tickets.title",
];

describe("text columns: one chosen bound, TEXT_COLUMN_LENGTH, taken from the column's rule", () => {
  const t = useTestDatabase();
  const catalog = () =>
    rows<{ col: string; data_type: string; length: number | null }>(
      t.db,
      sql`SELECT table_name || '.' || column_name AS col, data_type, character_maximum_length AS length
            FROM information_schema.columns WHERE table_schema = 'public'`,
    );

  it("the catalog's text columns whose rules allow exactly TEXT_COLUMN_LENGTH are the name columns and the borrowed ones", async () => {
    const textColumns = (await catalog()).filter((c) => c.data_type === "text");
    expect(textColumns.length).toBeGreaterThan(NAME_COLUMNS.length + BORROWED_COLUMNS.length);
    const bounded = textColumns
      .filter(({ col }) => {
        const [tableName, columnName] = col.split(".") as [string, string];
        const table = tableByName.get(tableName);
        if (!table) return false; // not a table of the data model (the migrations' own)
        const key = Object.entries(getTableColumns(table)).find(([, c]) => c.name === columnName)?.[0];
        expect(key, `${col} is in the catalog but not in src/schema`).toBeDefined();
        const rule = schemaOf("insert", table).shape[key as string] as z.ZodType;
        return maximumOf(rule) === TEXT_COLUMN_LENGTH;
      })
      .map((c) => c.col)
      .sort();
    expect(bounded).toEqual([...NAME_COLUMNS, ...BORROWED_COLUMNS].sort());
  });

  it("TEXT_COLUMN_LENGTH is the length the spec gives its varchar names (and the borrowed columns' sources)", async () => {
    const lengths = new Map((await catalog()).map((c) => [c.col, c]));
    for (const col of [...SPEC_NAME_VARCHARS, "asset_events.actor_user_id", "assets.serial_no"]) {
      expect(lengths.get(col), col).toMatchObject({
        data_type: "character varying",
        length: TEXT_COLUMN_LENGTH,
      });
    }
  });

  const nameCases = casesOf((c) => textLengthOf(c) !== undefined).filter((c) =>
    NAME_COLUMNS.includes(c.label),
  );

  it("covers every name column, with the operation inputs that write them", () => {
    expect(nameCases.map((c) => c.label).sort()).toEqual([...NAME_COLUMNS].sort());
  });

  it.each(nameCases.map((c) => [c.label, c] as const))("%s", (_label, { rules }) => {
    for (const [name, rule] of rules) {
      expect(
        acceptsSome(rule, TEXT_COLUMN_LENGTH),
        `${name} refuses every value of ${TEXT_COLUMN_LENGTH}`,
      ).toBe(true);
      expect(maximumOf(rule), `${name}: its bound`).toBe(TEXT_COLUMN_LENGTH);
    }
  });

  it("no validation module writes the number itself (only src/validation/columns.ts)", () => {
    const root = join(import.meta.dirname, "../../src/validation");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && f !== "columns.ts",
    );
    expect(files.length).toBeGreaterThan(5);
    const literal = new RegExp(`(?<![\\w.])${TEXT_COLUMN_LENGTH}(?![\\w.])`);
    const restated = files.filter((f) => literal.test(readFileSync(join(root, f), "utf8")));
    expect(restated).toEqual([]);
  });
});
