/**
 * Posting through the ledger's SQL functions (migration `ledger_functions`): one statement per post,
 * the SQL definition of each movement type agreeing with MOVEMENT_EFFECT, refusals inside a caller's
 * transaction leaving it usable, and transfers crossing each other on several connections without
 * deadlock (the functions lock stock rows in (warehouse, part) order).
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { type Database, rows } from "../../../src/db.js";
import { InsufficientStockError } from "../../../src/errors/index.js";
import {
  checkLedgerInvariant,
  createStockDocument,
  getStockLevel,
  MOVEMENT_EFFECT,
  postStockDocument,
} from "../../../src/queries/warehouse/index.js";
import * as schema from "../../../src/schema/index.js";
import { MOVEMENT_TYPES } from "../../../src/schema/warehouse/tables.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";
import { makePart, makeWarehouse } from "./fixtures.js";

const t = useTestDatabase();

async function stocked(qty: number) {
  const wh = await makeWarehouse(t.db);
  const part = await makePart(t.db);
  const receipt = await createStockDocument(t.db, {
    docType: "receipt",
    warehouseId: wh,
    lines: [{ partId: part, qty }],
  });
  await postStockDocument(t.db, { documentId: receipt.id });
  return { wh, part };
}

describe("posting through the ledger functions", () => {
  it("the SQL sign of every movement type is MOVEMENT_EFFECT's", async () => {
    for (const type of MOVEMENT_TYPES) {
      const [row] = await rows<{ on_hand: number; reserved: number }>(
        t.db,
        sql`SELECT on_hand, reserved FROM netops_movement_effect(${type})`,
      );
      expect({ type, onHand: Number(row?.on_hand), reserved: Number(row?.reserved) }).toEqual({
        type,
        ...MOVEMENT_EFFECT[type],
      });
    }
  });

  it("a refusal inside the caller's transaction leaves that transaction usable", async () => {
    const { wh, part } = await stocked(2);
    const issue = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 5 }],
    });
    const small = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 1 }],
    });
    await t.db.transaction(async (tx) => {
      await expect(postStockDocument(tx, { documentId: issue.id })).rejects.toMatchObject({
        code: "INSUFFICIENT_STOCK",
        requested: 5,
        available: 2,
      });
      // Still usable: the refusal rolled back to its savepoint only.
      const posted = await postStockDocument(tx, { documentId: small.id });
      expect(posted.stock).toEqual([{ warehouseId: wh, partId: part, onHand: 1, reserved: 0 }]);
    });
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 1 });
  });

  it("an input naming the document only is judged by the schema's documentId rule", async () => {
    const { wh, part } = await stocked(2);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 1 }],
    });
    // RFC 9562: UUIDs are case-insensitive on input; the rule normalises to lower case.
    const posted = await postStockDocument(t.db, { documentId: doc.id.toUpperCase() });
    expect(posted.document).toMatchObject({ id: doc.id, status: "posted" });
    // Lower-case ids skip zod's parse (the rule's own pattern): what the rule refuses is refused still
    // (RFC 9562: version nibble 1-8, variant 10xx; z.uuid also takes the nil and max UUIDs).
    const refused = [
      "not-a-uuid",
      `${doc.id}\u0000`,
      `${doc.id}\n`,
      ` ${doc.id}`,
      "",
      "12345678-1234-0234-8234-123456789abc",
      "12345678-1234-4234-c234-123456789abc",
      `g${doc.id.slice(1)}`,
      doc.id.replaceAll("-", ""),
    ];
    for (const documentId of refused) {
      await expect(postStockDocument(t.db, { documentId })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        issues: [{ path: "documentId" }],
      });
    }
    // Anything beside the id still meets the whole schema (strict: unknown keys refused).
    await expect(
      postStockDocument(t.db, { documentId: doc.id, extra: 1 } as unknown as { documentId: string }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("the posted document comes back decoded like a select of the table", async () => {
    const { wh, part } = await stocked(3);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      correlationId: "corr-1",
      lines: [{ partId: part, qty: 1 }],
    });
    const result = await postStockDocument(t.db, { documentId: doc.id, approvedBy: "lead" });
    const [selected] = await t.db
      .select()
      .from(schema.stockDocuments)
      .where(sql`${schema.stockDocuments.id} = ${doc.id}`);
    expect(result.document).toEqual(selected);
    expect(result.document).toMatchObject({ status: "posted", approvedBy: "lead" });
    expect(result.document.updatedAt).toBeInstanceOf(Date);
    expect(result.movements).toBe(1);
    const [movement] = await rows<{ correlation_id: string; ref_type: string }>(
      t.db,
      sql`SELECT correlation_id, ref_type FROM spare_part_movements WHERE ref_id = ${doc.id}`,
    );
    expect(movement).toEqual({ correlation_id: "corr-1", ref_type: "stock_document" });
  });
});

describe.runIf(onServer())("posting on a server (several connections)", () => {
  it("sends one statement per post on a database handle", async () => {
    const { wh, part } = await stocked(5);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 2 }],
    });
    const sent: string[] = [];
    const client = postgres(t.url as string, {
      max: 1,
      onnotice: () => {},
      debug: (_connection, query) => {
        sent.push(query);
      },
    });
    try {
      const db = drizzle(client, { schema }) as unknown as Database;
      // Connecting sends postgres.js's own type query once: not part of a post.
      await client`SELECT 1`;
      sent.length = 0;
      await postStockDocument(db, { documentId: doc.id });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain("netops_post_stock_document");
      // A refusal is one statement too, and typed.
      sent.length = 0;
      await expect(postStockDocument(db, { documentId: doc.id })).rejects.toMatchObject({
        code: "DOCUMENT_NOT_DRAFT",
        status: "posted",
      });
      expect(sent).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it("transfers crossing each other on 4 connections never deadlock, and the ledger balances", async () => {
    const [a, b] = [await makeWarehouse(t.db), await makeWarehouse(t.db)];
    const parts = [await makePart(t.db), await makePart(t.db), await makePart(t.db)];
    for (const wh of [a, b]) {
      const receipt = await createStockDocument(t.db, {
        docType: "receipt",
        warehouseId: wh,
        lines: parts.map((partId) => ({ partId, qty: 1000 })),
      });
      await postStockDocument(t.db, { documentId: receipt.id });
    }
    // Each client alternates direction and lists the parts in its own order, so two posters
    // touch the same six stock rows in opposite orders unless the ledger sorts them.
    const CLIENTS = 4;
    const PER_CLIENT = 25;
    const drafts = await Promise.all(
      Array.from({ length: CLIENTS * PER_CLIENT }, (_, i) => {
        const forward = i % 2 === 0;
        const order = forward ? parts : [...parts].reverse();
        return createStockDocument(t.db, {
          docType: "transfer",
          warehouseId: forward ? a : b,
          targetWarehouseId: forward ? b : a,
          lines: order.map((partId) => ({ partId, qty: 1 })),
        });
      }),
    );
    const pools = await Promise.all(Array.from({ length: CLIENTS }, () => t.connect(1)));
    try {
      await Promise.all(
        pools.map(async (p, c) => {
          for (const d of drafts.slice(c * PER_CLIENT, (c + 1) * PER_CLIENT)) {
            await postStockDocument(p.db, { documentId: d.id });
          }
        }),
      );
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    for (const wh of [a, b]) {
      for (const partId of parts) {
        expect(await getStockLevel(t.db, { warehouseId: wh, partId })).toMatchObject({ onHand: 1000 });
      }
    }
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  }, 120_000);

  it("locks stock rows in (warehouse, part) order, whatever the order of the lines", async () => {
    const wh = await makeWarehouse(t.db);
    const [low, high] = [await makePart(t.db), await makePart(t.db)].sort();
    const receipt = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [
        { partId: low as string, qty: 5 },
        { partId: high as string, qty: 5 },
      ],
    });
    await postStockDocument(t.db, { documentId: receipt.id });
    // Lines listed highest part first: posting must still take the lower row first.
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [
        { partId: high as string, qty: 1 },
        { partId: low as string, qty: 1 },
      ],
    });
    const [holder, poster] = [await t.connect(1), await t.connect(1)];
    const lockRow = (partId: string, nowait: boolean) =>
      sql`SELECT 1 FROM spare_part_stock WHERE warehouse_id = ${wh} AND part_id = ${partId}
          FOR UPDATE ${sql.raw(nowait ? "NOWAIT" : "")}`;
    try {
      let posting: Promise<unknown> | undefined;
      await holder.db.transaction(async (tx) => {
        await tx.execute(lockRow(high as string, false));
        posting = postStockDocument(poster.db, { documentId: doc.id });
        // Wait until the poster is blocked on a row lock (the higher row, held here).
        for (let i = 0; i < 500; i++) {
          const [w] = await rows<{ n: number }>(
            t.db,
            sql`SELECT count(*)::int n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (Number(w?.n) > 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        // ... by then it holds the lower row: taking it without waiting fails (55P03).
        await expect(tx.transaction((sp) => sp.execute(lockRow(low as string, true)))).rejects.toMatchObject({
          cause: { code: "55P03" },
        });
      });
      await posting;
    } finally {
      await Promise.all([holder.close(), poster.close()]);
    }
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: low as string })).toMatchObject({
      onHand: 4,
    });
  });

  it("an issue refused for stock writes nothing and names the numbers", async () => {
    const { wh, part } = await stocked(1);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 3 }],
    });
    const error = await postStockDocument(t.db, { documentId: doc.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect(error).toMatchObject({ warehouseId: wh, partId: part, requested: 3, available: 1 });
    const [{ n }] = (await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int n FROM spare_part_movements WHERE ref_id = ${doc.id}`,
    )) as [{ n: number }];
    expect(n).toBe(0);
  });
});
