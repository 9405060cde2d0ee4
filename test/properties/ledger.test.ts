/**
 * Property: random sequences of stock operations (receipts, issues, adjustments, transfers,
 * posting, canceling drafts and posted documents, reserving, releasing), run at the same time on
 * several connections over a few hot (warehouse, part) rows, keep the ledger invariant: stock equals
 * the signed sum of the movements, nothing negative, reserved within on hand. Every refusal is a
 * NetOpsError (insufficient stock, not a draft...), never a driver error or a deadlock.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/db.js";
import { NetOpsError } from "../../src/errors/index.js";
import {
  cancelStockDocument,
  checkLedgerInvariant,
  createStockDocument,
  postStockDocument,
  releaseStock,
  reserveStock,
} from "../../src/queries/warehouse/index.js";
import { makePart, makeWarehouse } from "../queries/warehouse/fixtures.js";
import { onServer, useTestDatabase } from "../support/test-db.js";
import { PROPERTY_SEED } from "./support.js";

const t = useTestDatabase();
let clients: { db: Database; close(): Promise<void> }[] = [];
let warehouses: string[] = [];
let parts: string[] = [];
beforeAll(async () => {
  warehouses = [await makeWarehouse(t.db), await makeWarehouse(t.db)];
  parts = [await makePart(t.db), await makePart(t.db), await makePart(t.db)];
  clients = onServer() ? await Promise.all([t.connect(1), t.connect(1), t.connect(1)]) : [t];
});
afterAll(async () => {
  await Promise.all(clients.filter((c) => c !== t).map((c) => c.close()));
});

type Op =
  | {
      kind: "doc";
      docType: "receipt" | "issue" | "adjust" | "transfer";
      w: number;
      lines: { p: number; qty: number; plus: boolean }[];
      post: boolean;
      cancel: boolean;
    }
  | { kind: "reserve" | "release"; w: number; p: number; qty: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("doc" as const),
    docType: fc.constantFrom("receipt" as const, "issue" as const, "adjust" as const, "transfer" as const),
    w: fc.nat(1),
    lines: fc.array(fc.record({ p: fc.nat(2), qty: fc.integer({ min: 1, max: 8 }), plus: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
    }),
    post: fc.boolean(),
    cancel: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom("reserve" as const, "release" as const),
    w: fc.nat(1),
    p: fc.nat(2),
    qty: fc.integer({ min: 1, max: 5 }),
  }),
);

async function run(db: Database, op: Op): Promise<void> {
  const warehouseId = warehouses[op.w] as string;
  if (op.kind !== "doc") {
    const fn = op.kind === "reserve" ? reserveStock : releaseStock;
    await fn(db, { warehouseId, partId: parts[op.p] as string, qty: op.qty });
    return;
  }
  const { docType, lines, post, cancel } = op;
  const doc = await createStockDocument(db, {
    docType,
    warehouseId,
    ...(docType === "transfer" ? { targetWarehouseId: warehouses[1 - op.w] as string } : {}),
    lines: lines.map((l) => ({
      partId: parts[l.p] as string,
      qty: l.qty,
      ...(docType === "adjust" ? { adjustDirection: l.plus ? ("plus" as const) : ("minus" as const) } : {}),
    })),
  });
  if (post) await postStockDocument(db, { documentId: doc.id });
  if (cancel) await cancelStockDocument(db, { documentId: doc.id });
}

it("the ledger invariant holds after concurrent random stock operations", async () => {
  const refusals = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(opArb, { minLength: 1, maxLength: 12 }), {
        minLength: clients.length,
        maxLength: clients.length,
      }),
      async (sequences) => {
        await Promise.all(
          sequences.map(async (ops, i) => {
            const db = (clients[i] ?? t).db;
            for (const op of ops) {
              try {
                await run(db, op);
              } catch (error) {
                if (!(error instanceof NetOpsError)) throw error;
                refusals.set(error.code, (refusals.get(error.code) ?? 0) + 1);
              }
            }
          }),
        );
        expect(await checkLedgerInvariant(t.db)).toEqual([]);
      },
    ),
    { seed: PROPERTY_SEED, numRuns: 15, endOnFailure: true },
  );
  // The sequences did reach the refusals (otherwise the property tested only the easy path).
  expect(refusals.get("INSUFFICIENT_STOCK") ?? 0).toBeGreaterThan(0);
}, 120_000);
