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

/** Deterministic PRNG (mulberry32) so a failing random sequence can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
