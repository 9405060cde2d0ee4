/**
 * Every table has insert, update and select schemas (matched by their keys, so a table added to the
 * schema without validation fails here); insert schemas require exactly the NOT NULL columns without
 * a default and reject unknown keys; update schemas accept any subset.
 */
import { getTableColumns, getTableName } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import * as v from "../../src/validation/index.js";
import { allTables } from "../support/rows.js";

type Obj = z.ZodObject<z.ZodRawShape>;
const schemas: [string, Obj][] = (Object.entries(v) as [string, unknown][])
  .filter(
    ([name, value]) =>
      /^(insert|update|select)\w+Schema$/.test(name) &&
      typeof value === "object" &&
      value !== null &&
      "shape" in value,
  )
  .map(([name, value]) => [name, value as Obj]);

function schemaFor(kind: "insert" | "update" | "select", keys: string[]): [string, Obj][] {
  const wanted = [...keys].sort().join(",");
  return schemas.filter(
    ([name, s]) => name.startsWith(kind) && Object.keys(s.shape).sort().join(",") === wanted,
  );
}

describe("schema coverage", () => {
  it.each(allTables.map((t) => [getTableName(t), t] as const))(
    "%s has insert/update/select schemas",
    (_name, table) => {
      const columns = getTableColumns(table);
      const keys = Object.keys(columns);
      const [insert] = schemaFor("insert", keys);
      const [update] = schemaFor("update", keys);
      expect(insert).toBeDefined();
      expect(update).toBeDefined();
      expect(schemaFor("select", keys).length).toBeGreaterThan(0);
      const [, insertSchema] = insert as [string, Obj];
      const [, updateSchema] = update as [string, Obj];
      const required = Object.entries(columns)
        .filter(([, c]) => c.notNull && !c.hasDefault)
        .map(([k]) => k)
        .sort();
      const result = insertSchema.safeParse({});
      const missing = result.success
        ? []
        : [...new Set(result.error.issues.map((i) => String(i.path[0])))].sort();
      expect(missing).toEqual(required);
      expect(updateSchema.safeParse({}).success).toBe(true);
      const extra = updateSchema.safeParse({ notAColumn: 1 });
      expect(extra.success).toBe(false);
    },
  );

  it("one schema of each kind per table (45 tables)", () => {
    for (const kind of ["insert", "update", "select"]) {
      expect(schemas.filter(([n]) => n.startsWith(kind)).length).toBe(allTables.length);
    }
  });
});
