/** Small factories for the warehouse tests: warehouses and spare parts with unique codes. */
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "../../../src/db.js";
import { spareParts, warehouses } from "../../../src/schema/warehouse/tables.js";

const tag = () => randomUUID().slice(0, 8);

export async function makeWarehouse(db: DbOrTx, code = `WH-${tag()}`): Promise<string> {
  const [row] = await db
    .insert(warehouses)
    .values({ code, name: `Warehouse ${code}` })
    .returning();
  return row!.id;
}

export async function makePart(db: DbOrTx, minLevel = 0, code = `P-${tag()}`): Promise<string> {
  const [row] = await db
    .insert(spareParts)
    .values({ partCode: code, name: `Part ${code}`, minLevel })
    .returning();
  return row!.id;
}
