/**
 * Behaviour of every constraint of the schema, driven by the drizzle table objects so that a new
 * table or column is covered without touching this file: every enum CHECK accepts each listed value
 * and rejects an unknown one; qty > 0 and tier 0..3 hold; each foreign key's ON DELETE action does
 * what it says (CASCADE deletes, SET NULL nulls, RESTRICT / NO ACTION refuse); each unique refuses a
 * duplicate.
 */
import { eq, sql } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { cmdbCis, cmdbCiTypes, modelConfigs, userTokenStats } from "../../src/schema/index.js";
import {
  allTables,
  columnByName,
  constraintOf,
  keyOf,
  makeRow,
  pgErrorOf,
  type Row,
  sampleValue,
} from "../support/rows.js";
import { useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();
/** ON DELETE RESTRICT reports 23503 up to PostgreSQL 16 and 23001 (restrict_violation) from 17 (PGlite). */
let RESTRICT_CODE: string;
beforeAll(async () => {
  const [row] = await rows<{ v: number }>(t.db, sql`SELECT current_setting('server_version_num')::int AS v`);
  RESTRICT_CODE = (row?.v ?? 0) >= 170000 ? "23001" : "23503";
});

const idColumn = (table: PgTable) => getTableConfig(table).columns.find((c) => c.primary) as PgColumn;

const enumColumns = allTables.flatMap((table) =>
  getTableConfig(table)
    .columns.filter((c) => ((c as { enumValues?: string[] }).enumValues ?? []).length > 0)
    .map((column) => [`${getTableConfig(table).name}.${column.name}`, table, column] as const),
);

describe.each(enumColumns)("CHECK on %s", (label, table, column) => {
  const values = (column as { enumValues: string[] }).enumValues;
  const constraint = `${label.replace(".", "_")}_check`;

  it.each(values)("accepts %s", async (value) => {
    const row = await makeRow(t.db, table, { [keyOf(table, column)]: value });
    expect(row[keyOf(table, column)]).toBe(value);
  });

  it("rejects a value outside the list with 23514 naming the constraint", async () => {
    const error = await pgErrorOf(makeRow(t.db, table, { [keyOf(table, column)]: "not_a_listed_value" }));
    expect(error?.code).toBe("23514");
    expect(constraintOf(error)).toBe(constraint);
  });
});

const qtyTables = allTables.filter((table) =>
  getTableConfig(table).checks.some((c) => c.name.endsWith("_qty_check")),
);

describe.each(qtyTables.map((table) => [getTableConfig(table).name, table] as const))(
  "%s.qty > 0",
  (name, table) => {
    it.each([0, -1])("rejects qty = %i", async (qty) => {
      const error = await pgErrorOf(makeRow(t.db, table, { qty }));
      expect(error?.code).toBe("23514");
      expect(constraintOf(error)).toBe(`${name}_qty_check`);
    });
    it("accepts qty = 1", async () => {
      expect((await makeRow(t.db, table, { qty: 1 })).qty).toBe(1);
    });
  },
);

it("covers the three documented qty > 0 tables", () => {
  expect(qtyTables.map((table) => getTableConfig(table).name).sort()).toEqual([
    "repair_order_parts",
    "spare_part_movements",
    "stock_document_lines",
  ]);
});

describe("model_configs.tier is 0..3", () => {
  it.each([0, 1, 2, 3])("accepts %i", async (tier) => {
    expect((await makeRow(t.db, modelConfigs, { tier })).tier).toBe(tier);
  });
  it.each([-1, 4])("rejects %i", async (tier) => {
    const error = await pgErrorOf(makeRow(t.db, modelConfigs, { tier }));
    expect(error?.code).toBe("23514");
    expect(constraintOf(error)).toBe("model_configs_tier_check");
  });
});

const foreignKeys = allTables.flatMap((table) =>
  getTableConfig(table).foreignKeys.map((fk) => [fk.getName(), table, fk] as const),
);

it("walks all 54 foreign keys", () => {
  expect(foreignKeys).toHaveLength(54);
});

describe.each(foreignKeys)("foreign key %s", (name, table, fk) => {
  const ref = fk.reference();
  const action = fk.onDelete ?? "no action";

  it(`ON DELETE ${action}`, async () => {
    const parentTable = ref.foreignTable;
    const parent = await makeRow(t.db, parentTable);
    const parentKey = keyOf(parentTable, ref.foreignColumns[0] as PgColumn);
    const childKey = keyOf(table, ref.columns[0] as PgColumn);
    const child = await makeRow(t.db, table, { [childKey]: parent[parentKey] });
    const childId = idColumn(table);
    const childIdKey = keyOf(table, childId);

    const parentId = idColumn(parentTable);
    const remove = t.db.delete(parentTable).where(eq(parentId, parent[keyOf(parentTable, parentId)]));
    const found = () =>
      t.db
        .select()
        .from(table as PgTable)
        .where(eq(childId, child[childIdKey])) as Promise<Row[]>;

    if (action === "cascade") {
      await remove;
      expect(await found()).toEqual([]);
    } else if (action === "set null") {
      await remove;
      const [after] = await found();
      expect(after?.[childKey]).toBeNull();
    } else {
      const error = await pgErrorOf(remove);
      expect(error?.code).toBe(action === "restrict" ? RESTRICT_CODE : "23503");
      expect(constraintOf(error)).toBe(name);
      expect(await found()).toHaveLength(1);
    }
  });
});

it("cmdb_cis -> cmdb_ci_types is RESTRICT: a type with CIs cannot be deleted", async () => {
  const type = await makeRow(t.db, cmdbCiTypes);
  await makeRow(t.db, cmdbCis, { typeId: type.id });
  const error = await pgErrorOf(t.db.delete(cmdbCiTypes).where(eq(cmdbCiTypes.id, type.id as string)));
  expect(error?.code).toBe(RESTRICT_CODE);
  expect(constraintOf(error)).toBe("cmdb_cis_type_id_fkey");
});

const uniques = allTables.flatMap((table) =>
  getTableConfig(table).uniqueConstraints.map((u) => [u.getName(), table, u.columns] as const),
);

describe.each(uniques)("UNIQUE %s", (name, table, columns) => {
  it("refuses a duplicate with 23505 naming the constraint", async () => {
    const config = getTableConfig(table);
    // Give every unique column a non-null value (NULLs never collide), creating parents for FKs.
    const seed: Row = {};
    for (const column of columns.map((c) => columnByName(table, c.name))) {
      const fk = config.foreignKeys.map((f) => f.reference()).find((r) => r.columns[0]?.name === column.name);
      if (fk) {
        const parent = await makeRow(t.db, fk.foreignTable);
        seed[keyOf(table, column)] = parent[keyOf(fk.foreignTable, fk.foreignColumns[0] as PgColumn)];
      } else {
        seed[keyOf(table, column)] = sampleValue(column);
      }
    }
    await makeRow(t.db, table, seed);
    const error = await pgErrorOf(makeRow(t.db, table, seed));
    expect(error?.code).toBe("23505");
    expect(constraintOf(error)).toBe(name);
  });
});

it("user_token_stats refuses a second row for the same (user, date, model, provider)", async () => {
  const key = { userId: "u-1", date: "2025-03-01", model: "openai/gpt-4o", provider: "openai" };
  await makeRow(t.db, userTokenStats, key);
  const error = await pgErrorOf(makeRow(t.db, userTokenStats, key));
  expect(error?.code).toBe("23505");
  expect(constraintOf(error)).toBe("user_token_stats_pkey");
});
