/**
 * updated_at triggers (migration 0002): every table with an updated_at column has one, a plain
 * UPDATE (raw SQL, not drizzle) moves updated_at to the transaction's now(), and an UPDATE that sets
 * updated_at itself keeps that value.
 */
import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { allTables, makeRow } from "../support/rows.js";
import { useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();

const withUpdatedAt = allTables.filter((table) =>
  getTableConfig(table).columns.some((c) => c.name === "updated_at"),
);

it("covers the 13 tables that have updated_at", () => {
  expect(withUpdatedAt).toHaveLength(13);
});

describe.each(withUpdatedAt.map((table) => [getTableConfig(table).name, table] as const))(
  "%s",
  (name, table) => {
    it("has the set_updated_at trigger", async () => {
      const live = (await readCatalog(t.db)).get(name);
      const trigger = live?.triggers.find((tr) => tr.name === `${name}_set_updated_at`);
      expect(trigger?.definition).toMatch(
        /BEFORE UPDATE .* FOR EACH ROW EXECUTE FUNCTION (public\.)?set_updated_at\(\)/,
      );
      expect(trigger?.enabled).toBe(true);
    });

    it("keeps updated_at current on raw UPDATEs and honours an explicit value", async () => {
      const row = await makeRow(t.db, table);
      const id = sql.identifier(name);
      const past = "2001-02-03T04:05:06.000Z";
      await t.db.execute(sql`UPDATE ${id} SET updated_at = ${past}::timestamptz WHERE id = ${row.id}`);
      const [kept] = await rows<{ at: string }>(
        t.db,
        sql`SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at FROM ${id} WHERE id = ${row.id}`,
      );
      expect(kept?.at).toBe("2001-02-03T04:05:06");
      // An UPDATE that leaves updated_at alone (here it only rewrites the id) gets now().
      // In one transaction, so now() is the same instant for the trigger and the check.
      const bumped = await t.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE ${id} SET id = id WHERE id = ${row.id}`);
        return rows<{ current: boolean }>(
          tx,
          sql`SELECT updated_at = now() AS current FROM ${id} WHERE id = ${row.id}`,
        );
      });
      expect(bumped[0]?.current).toBe(true);
    });
  },
);
