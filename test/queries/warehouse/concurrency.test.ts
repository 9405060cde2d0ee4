/**
 * Concurrent posting from 8 separate connection pools. Needs a real server (PGlite has a single
 * connection), so it is skipped there.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, rows } from "../../../src/db.js";
import { InsufficientStockError } from "../../../src/errors/index.js";
import {
  checkLedgerInvariant,
  createStockDocument,
  getStockLevel,
  postStockDocument,
} from "../../../src/queries/warehouse/index.js";
import { stockDocumentLines, stockDocuments } from "../../../src/schema/warehouse/tables.js";
import { createTestDatabase, onServer, type TestDatabase } from "../../support/test-db.js";
import { makePart, makeWarehouse } from "./fixtures.js";

const CLIENTS = 8;
const DOCS_PER_CLIENT = 200;
const STOCK = 1000; // qty 1 per document: exactly 1000 of the 1600 posts can succeed

describe.runIf(onServer())("concurrent posting (server only: needs several connections)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`${CLIENTS} clients x ${DOCS_PER_CLIENT} issue documents against ${STOCK} in stock`, async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const receipt = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [{ partId: part, qty: STOCK }],
    });
    await postStockDocument(t.db, { documentId: receipt.id });

    // Drafts created up front in bulk so the race is between posters only.
    const drafts = await t.db
      .insert(stockDocuments)
      .values(
        Array.from({ length: CLIENTS * DOCS_PER_CLIENT }, (_, i) => ({
          docType: "issue" as const,
          code: `RACE-${part.slice(0, 8)}-${i}`,
          status: "draft" as const,
          warehouseId: wh,
        })),
      )
      .returning({ id: stockDocuments.id });
    await t.db
      .insert(stockDocumentLines)
      .values(drafts.map((d) => ({ documentId: d.id, partId: part, qty: 1 })));

    const pools = await Promise.all(Array.from({ length: CLIENTS }, () => t.connect(1)));
    let lowest = Number.POSITIVE_INFINITY;
    let running = true;
    const watcher = (async () => {
      const watch = await t.connect(1);
      try {
        while (running) {
          const [row] = await rows<{ on_hand: number }>(
            watch.db,
            sql`select on_hand from spare_part_stock where warehouse_id = ${wh} and part_id = ${part}`,
          );
          lowest = Math.min(lowest, Number(row?.on_hand));
          await sleep(2); // sample often, without starving the posters of CPU
        }
      } finally {
        await watch.close();
      }
    })();

    const post = async (db: Database, ids: string[]) => {
      let ok = 0;
      let refused = 0;
      for (const id of ids) {
        try {
          await postStockDocument(db, { documentId: id });
          ok++;
        } catch (e) {
          if (!(e instanceof InsufficientStockError)) throw e;
          refused++;
        }
      }
      return { ok, refused };
    };
    let results: { ok: number; refused: number }[];
    try {
      results = await Promise.all(
        pools.map((p, c) =>
          post(
            p.db,
            drafts.slice(c * DOCS_PER_CLIENT, (c + 1) * DOCS_PER_CLIENT).map((d) => d.id),
          ),
        ),
      );
    } finally {
      running = false;
      await watcher;
      await Promise.all(pools.map((p) => p.close()));
    }

    const ok = results.reduce((s, r) => s + r.ok, 0);
    const refused = results.reduce((s, r) => s + r.refused, 0);
    expect(ok).toBe(STOCK);
    expect(refused).toBe(CLIENTS * DOCS_PER_CLIENT - STOCK);
    // Every client got some successes: the posts really interleaved.
    expect(results.filter((r) => r.ok > 0).length).toBeGreaterThan(1);
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({
      onHand: 0,
      reserved: 0,
    });
    const posted = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(stockDocuments)
      .where(eq(stockDocuments.status, "posted"));
    expect(posted[0]!.n).toBe(STOCK + 1);
    const [{ n: outs }] = (await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int n from spare_part_movements where movement_type = 'out' and part_id = ${part}`,
    )) as [{ n: number }];
    expect(outs).toBe(STOCK);
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  }, 240_000);

  it("two clients posting the same draft at once: exactly one posts it", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const doc = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [{ partId: part, qty: 5 }],
    });
    const pools = await Promise.all([t.connect(1), t.connect(1)]);
    try {
      const outcomes = await Promise.allSettled(
        pools.map((p) => postStockDocument(p.db, { documentId: doc.id })),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const rejected = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: "DOCUMENT_NOT_DRAFT" });
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 5 });
  });
});
