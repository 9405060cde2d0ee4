/** Stock documents, reservations, low-stock report and the ledger invariant, on a real database. */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { prng } from "../../../seed/generate.js";
import { rows } from "../../../src/db.js";
import {
  CheckViolationError,
  DocumentAlreadyCanceledError,
  DocumentNotDraftError,
  InsufficientStockError,
  NotFoundError,
  ReleaseExceedsReservedError,
  ValidationError,
  withDbErrors,
} from "../../../src/errors/index.js";
import {
  cancelStockDocument,
  checkLedgerInvariant,
  createStockDocument,
  getStockDocument,
  getStockLevel,
  lowStockReport,
  postStockDocument,
  releaseStock,
  reserveStock,
  updateStockDocumentDraft,
} from "../../../src/queries/warehouse/index.js";
import { sparePartMovements, sparePartStock, stockDocuments } from "../../../src/schema/warehouse/tables.js";
import { useTestDatabase } from "../../support/test-db.js";
import { makePart, makeWarehouse } from "./fixtures.js";

const t = useTestDatabase();

const movementCount = async () =>
  Number((await rows<{ n: number }>(t.db, sql`select count(*)::int n from spare_part_movements`))[0]!.n);

async function receive(warehouseId: string, partId: string, qty: number) {
  const doc = await createStockDocument(t.db, {
    docType: "receipt",
    warehouseId,
    lines: [{ partId, qty, unitCost: 10 }],
  });
  return postStockDocument(t.db, { documentId: doc.id });
}

describe("stock documents", () => {
  it("creates a draft and posts a receipt: movements written, stock raised", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const doc = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [
        { partId: part, qty: 5, unitCost: "12.50" },
        { partId: part, qty: 3 },
      ],
    });
    expect(doc.status).toBe("draft");
    expect(doc.code).toMatch(/^RCV-\d{8}-/);
    expect(doc.lines).toHaveLength(2);
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 0 });

    const posted = await postStockDocument(t.db, { documentId: doc.id, approvedBy: "boss" });
    expect(posted.document.status).toBe("posted");
    expect(posted.document.approvedBy).toBe("boss");
    expect(posted.movements).toBe(2);
    expect(posted.stock).toEqual([{ warehouseId: wh, partId: part, onHand: 8, reserved: 0 }]);
    const ledger = await t.db.select().from(sparePartMovements).where(eq(sparePartMovements.refId, doc.id));
    expect(ledger.map((m) => [m.movementType, m.qty]).sort()).toEqual([
      ["in", 3],
      ["in", 5],
    ]);
    expect(ledger.every((m) => m.refType === "stock_document")).toBe(true);
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("refuses an issue larger than free stock with a typed error and writes nothing", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    await receive(wh, part, 4);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 5 }],
    });
    const before = await movementCount();
    const error = await postStockDocument(t.db, { documentId: doc.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect(error).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      warehouseId: wh,
      partId: part,
      requested: 5,
      available: 4,
    });
    expect(await movementCount()).toBe(before);
    expect((await getStockDocument(t.db, { documentId: doc.id })).status).toBe("draft");
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 4 });
  });

  it("refuses an issue of a part never stocked in that warehouse (available 0)", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 1 }],
    });
    await expect(postStockDocument(t.db, { documentId: doc.id })).rejects.toMatchObject({
      available: 0,
      requested: 1,
    });
  });

  it("an issue failing on its second line rolls back the first", async () => {
    const wh = await makeWarehouse(t.db);
    const [a, b] = [await makePart(t.db), await makePart(t.db)];
    await receive(wh, a, 10);
    await receive(wh, b, 1);
    const doc = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [
        { partId: a, qty: 3 },
        { partId: b, qty: 2 },
      ],
    });
    await expect(postStockDocument(t.db, { documentId: doc.id })).rejects.toBeInstanceOf(
      InsufficientStockError,
    );
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: a })).toMatchObject({ onHand: 10 });
  });

  it("a posted document cannot be posted again or edited", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const { document } = await receive(wh, part, 2);
    await expect(postStockDocument(t.db, { documentId: document.id })).rejects.toBeInstanceOf(
      DocumentNotDraftError,
    );
    await expect(
      updateStockDocumentDraft(t.db, { documentId: document.id, lines: [{ partId: part, qty: 99 }] }),
    ).rejects.toMatchObject({ code: "DOCUMENT_NOT_DRAFT", status: "posted" });
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 2 });
  });

  it("edits a draft's lines before posting", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const doc = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [{ partId: part, qty: 1 }],
    });
    const edited = await updateStockDocumentDraft(t.db, {
      documentId: doc.id,
      note: "recounted",
      lines: [{ partId: part, qty: 7 }],
    });
    expect(edited.note).toBe("recounted");
    expect(edited.lines.map((l) => l.qty)).toEqual([7]);
    await postStockDocument(t.db, { documentId: doc.id });
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 7 });
  });

  it("transfers between warehouses (transfer_out + transfer_in)", async () => {
    const [from, to] = [await makeWarehouse(t.db), await makeWarehouse(t.db)];
    const part = await makePart(t.db);
    await receive(from, part, 6);
    const doc = await createStockDocument(t.db, {
      docType: "transfer",
      warehouseId: from,
      targetWarehouseId: to,
      lines: [{ partId: part, qty: 4 }],
    });
    const posted = await postStockDocument(t.db, { documentId: doc.id });
    expect(posted.movements).toBe(2);
    expect(await getStockLevel(t.db, { warehouseId: from, partId: part })).toMatchObject({ onHand: 2 });
    expect(await getStockLevel(t.db, { warehouseId: to, partId: part })).toMatchObject({ onHand: 4 });
    const moves = await t.db.select().from(sparePartMovements).where(eq(sparePartMovements.refId, doc.id));
    expect(moves.map((m) => m.movementType).sort()).toEqual(["transfer_in", "transfer_out"]);
  });

  it("adjusts plus and minus; minus is refused below zero", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const plus = await createStockDocument(t.db, {
      docType: "adjust",
      warehouseId: wh,
      lines: [{ partId: part, qty: 5, adjustDirection: "plus" }],
    });
    await postStockDocument(t.db, { documentId: plus.id });
    const minus = await createStockDocument(t.db, {
      docType: "adjust",
      warehouseId: wh,
      lines: [{ partId: part, qty: 2, adjustDirection: "minus" }],
    });
    await postStockDocument(t.db, { documentId: minus.id });
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toMatchObject({ onHand: 3 });
    const tooMuch = await createStockDocument(t.db, {
      docType: "adjust",
      warehouseId: wh,
      lines: [{ partId: part, qty: 4, adjustDirection: "minus" }],
    });
    await expect(postStockDocument(t.db, { documentId: tooMuch.id })).rejects.toBeInstanceOf(
      InsufficientStockError,
    );
  });

  it("cancel of a posted document posts reversing movements; a second cancel is refused", async () => {
    const [from, to] = [await makeWarehouse(t.db), await makeWarehouse(t.db)];
    const part = await makePart(t.db);
    await receive(from, part, 5);
    const doc = await createStockDocument(t.db, {
      docType: "transfer",
      warehouseId: from,
      targetWarehouseId: to,
      lines: [{ partId: part, qty: 3 }],
    });
    await postStockDocument(t.db, { documentId: doc.id });
    const canceled = await cancelStockDocument(t.db, { documentId: doc.id, actorUserId: "u1" });
    expect(canceled.document.status).toBe("canceled");
    expect(canceled.movements).toBe(2);
    expect(await getStockLevel(t.db, { warehouseId: from, partId: part })).toMatchObject({ onHand: 5 });
    expect(await getStockLevel(t.db, { warehouseId: to, partId: part })).toMatchObject({ onHand: 0 });
    const reversal = await t.db
      .select()
      .from(sparePartMovements)
      .where(
        sql`${sparePartMovements.refId} = ${doc.id} and ${sparePartMovements.refType} = 'stock_document_cancel'`,
      );
    expect(reversal.map((m) => m.movementType).sort()).toEqual(["transfer_in", "transfer_out"]);
    await expect(cancelStockDocument(t.db, { documentId: doc.id })).rejects.toBeInstanceOf(
      DocumentAlreadyCanceledError,
    );
    await expect(postStockDocument(t.db, { documentId: doc.id })).rejects.toBeInstanceOf(
      DocumentNotDraftError,
    );
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("cancel of a receipt whose stock was issued since is refused, nothing changes", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const { document } = await receive(wh, part, 3);
    const issue = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 2 }],
    });
    await postStockDocument(t.db, { documentId: issue.id });
    await expect(cancelStockDocument(t.db, { documentId: document.id })).rejects.toMatchObject({
      code: "INSUFFICIENT_STOCK",
      requested: 3,
      available: 1,
    });
    expect((await getStockDocument(t.db, { documentId: document.id })).status).toBe("posted");
  });

  it("cancel of a draft writes no movements", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    const doc = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: wh,
      lines: [{ partId: part, qty: 1 }],
    });
    const before = await movementCount();
    expect((await cancelStockDocument(t.db, { documentId: doc.id })).movements).toBe(0);
    expect(await movementCount()).toBe(before);
  });

  it("validates input before touching the database", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    await expect(
      createStockDocument(t.db, { docType: "transfer", warehouseId: wh, lines: [{ partId: part, qty: 1 }] }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createStockDocument(t.db, {
        docType: "transfer",
        warehouseId: wh,
        targetWarehouseId: wh,
        lines: [{ partId: part, qty: 1 }],
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createStockDocument(t.db, { docType: "adjust", warehouseId: wh, lines: [{ partId: part, qty: 1 }] }),
    ).rejects.toMatchObject({ issues: [{ path: "lines.0.adjustDirection" }] });
    await expect(
      createStockDocument(t.db, { docType: "issue", warehouseId: wh, lines: [{ partId: part, qty: 0 }] }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createStockDocument(t.db, { docType: "issue", warehouseId: wh, lines: [] }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createStockDocument(t.db, {
        docType: "receipt",
        warehouseId: "00000000-0000-4000-8000-000000000000",
        lines: [{ partId: part, qty: 1 }],
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      createStockDocument(t.db, {
        docType: "receipt",
        warehouseId: wh,
        lines: [{ partId: "00000000-0000-4000-8000-000000000000", qty: 1 }],
      }),
    ).rejects.toMatchObject({ entity: "spare part" });
    await expect(
      postStockDocument(t.db, { documentId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("reservations", () => {
  it("reserve and release move `reserved`, not on_hand; issues see only free stock", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    await receive(wh, part, 5);
    expect(await reserveStock(t.db, { warehouseId: wh, partId: part, qty: 3 })).toMatchObject({
      onHand: 5,
      reserved: 3,
    });
    await expect(reserveStock(t.db, { warehouseId: wh, partId: part, qty: 3 })).rejects.toMatchObject({
      code: "INSUFFICIENT_STOCK",
      available: 2,
    });
    const issue = await createStockDocument(t.db, {
      docType: "issue",
      warehouseId: wh,
      lines: [{ partId: part, qty: 3 }],
    });
    await expect(postStockDocument(t.db, { documentId: issue.id })).rejects.toMatchObject({ available: 2 });
    await expect(releaseStock(t.db, { warehouseId: wh, partId: part, qty: 4 })).rejects.toBeInstanceOf(
      ReleaseExceedsReservedError,
    );
    expect(await releaseStock(t.db, { warehouseId: wh, partId: part, qty: 2 })).toMatchObject({
      onHand: 5,
      reserved: 1,
    });
    await postStockDocument(t.db, { documentId: issue.id });
    expect(await getStockLevel(t.db, { warehouseId: wh, partId: part })).toEqual({
      warehouseId: wh,
      partId: part,
      onHand: 2,
      reserved: 1,
      available: 1,
    });
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });
});

describe("low-stock report", () => {
  it("lists rows whose free stock is below min_level, biggest shortage first", async () => {
    const wh = await makeWarehouse(t.db);
    const [low, ok, reservedLow] = [
      await makePart(t.db, 10),
      await makePart(t.db, 2),
      await makePart(t.db, 3),
    ];
    await receive(wh, low, 4);
    await receive(wh, ok, 2);
    await receive(wh, reservedLow, 3);
    await reserveStock(t.db, { warehouseId: wh, partId: reservedLow, qty: 1 });
    const report = await lowStockReport(t.db, { warehouseId: wh });
    expect(report.map((r) => [r.partId, r.available, r.shortage])).toEqual([
      [low, 4, 6],
      [reservedLow, 2, 1],
    ]);
    const all = await lowStockReport(t.db);
    expect(all.some((r) => r.partId === low)).toBe(true);
  });
});

describe("ledger invariant", () => {
  it("reports a stock row changed behind the ledger's back", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    await receive(wh, part, 3);
    await t.db.update(sparePartStock).set({ onHand: 4 }).where(eq(sparePartStock.partId, part));
    const violations = await checkLedgerInvariant(t.db);
    expect(violations).toEqual([
      {
        warehouseId: wh,
        partId: part,
        onHand: 4,
        reserved: 0,
        ledgerOnHand: 3,
        ledgerReserved: 0,
        problems: ["on_hand_mismatch"],
      },
    ]);
    await t.db.update(sparePartStock).set({ onHand: 3 }).where(eq(sparePartStock.partId, part));
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("the schema's CHECKs are the safety net under the code (on_hand/reserved >= 0, reserved <= on_hand)", async () => {
    const wh = await makeWarehouse(t.db);
    const part = await makePart(t.db);
    await receive(wh, part, 2);
    const where = and(eq(sparePartStock.warehouseId, wh), eq(sparePartStock.partId, part));
    for (const [set, constraint] of [
      // on_hand -1 also breaks reserved <= on_hand; PostgreSQL names whichever it checks first.
      [{ onHand: -1 }, /^spare_part_stock_(on_hand_)?check$/],
      [{ reserved: -1 }, "spare_part_stock_reserved_check"],
      [{ reserved: 3 }, "spare_part_stock_reserved_within_on_hand_check"],
    ] as const) {
      const error = await withDbErrors(() => t.db.update(sparePartStock).set(set).where(where)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CheckViolationError);
      expect((error as CheckViolationError).constraint).toMatch(constraint);
    }
  });

  it("holds after a seeded random sequence of operations, and stock matches a model", async () => {
    const random = prng(20251122).next;
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const whs = [await makeWarehouse(t.db), await makeWarehouse(t.db), await makeWarehouse(t.db)];
    const parts = [await makePart(t.db), await makePart(t.db), await makePart(t.db)];
    const model = new Map<string, { onHand: number; reserved: number }>();
    const at = (w: string, p: string) => {
      const k = `${w}/${p}`;
      if (!model.has(k)) model.set(k, { onHand: 0, reserved: 0 });
      return model.get(k)!;
    };
    const posted: { id: string; effects: [string, string, number][] }[] = [];
    let refusals = 0;
    let successes = 0;
    for (let step = 0; step < 250; step++) {
      const w = pick(whs);
      const p = pick(parts);
      const qty = 1 + Math.floor(random() * 6);
      const op = pick(["receipt", "issue", "adjust", "transfer", "reserve", "release", "cancel"] as const);
      try {
        if (op === "reserve") {
          await reserveStock(t.db, { warehouseId: w, partId: p, qty });
          at(w, p).reserved += qty;
        } else if (op === "release") {
          await releaseStock(t.db, { warehouseId: w, partId: p, qty });
          at(w, p).reserved -= qty;
        } else if (op === "cancel") {
          const doc = posted.splice(Math.floor(random() * posted.length), 1)[0];
          if (!doc) continue;
          try {
            await cancelStockDocument(t.db, { documentId: doc.id });
          } catch (e) {
            posted.push(doc);
            throw e;
          }
          for (const [ew, ep, d] of doc.effects) at(ew, ep).onHand -= d;
        } else {
          const plus = random() < 0.5;
          const target = op === "transfer" ? pick(whs.filter((x) => x !== w)) : undefined;
          const doc = await createStockDocument(t.db, {
            docType: op,
            warehouseId: w,
            targetWarehouseId: target,
            lines: [
              { partId: p, qty, adjustDirection: op === "adjust" ? (plus ? "plus" : "minus") : undefined },
            ],
          });
          await postStockDocument(t.db, { documentId: doc.id });
          const effects: [string, string, number][] =
            op === "receipt" || (op === "adjust" && plus)
              ? [[w, p, qty]]
              : op === "transfer"
                ? [
                    [w, p, -qty],
                    [target!, p, qty],
                  ]
                : [[w, p, -qty]];
          for (const [ew, ep, d] of effects) at(ew, ep).onHand += d;
          posted.push({ id: doc.id, effects });
        }
        successes++;
      } catch (e) {
        if (!(e instanceof InsufficientStockError || e instanceof ReleaseExceedsReservedError)) throw e;
        refusals++;
      }
    }
    // Both outcomes must have happened, or the sequence tested little.
    expect(successes).toBeGreaterThan(50);
    expect(refusals).toBeGreaterThan(10);
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
    for (const w of whs) {
      for (const p of parts) {
        const level = await getStockLevel(t.db, { warehouseId: w, partId: p });
        const expected = model.get(`${w}/${p}`) ?? { onHand: 0, reserved: 0 };
        expect({ w, p, onHand: level.onHand, reserved: level.reserved }).toEqual({ w, p, ...expected });
        expect(level.available).toBeGreaterThanOrEqual(0);
      }
    }
    const drafts = await t.db.select().from(stockDocuments).where(eq(stockDocuments.status, "draft"));
    expect(drafts.length).toBeGreaterThan(0); // refused posts leave their drafts untouched
  });
});
