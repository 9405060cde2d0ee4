/**
 * A stock document's movements at scale, with and without `idx_spare_part_movements_ref` (migration
 * 0010; docs/scaling.md section 1), both sides in one run on the same data: on a CLONE grown by
 * scripts/measure-history.sh, for n posted issue documents (random, none holding a repair order's
 * parts), each document is measured twice, alternating which side goes first:
 *   - with the index: in a transaction, planned once untimed (catalogue cache warm), the package's read of the document's movements (the
 *     statement cancelStockDocument sends) timed, then cancelStockDocument itself timed, rolled back;
 *   - without it: the same after `DROP INDEX idx_spare_part_movements_ref` in the same transaction
 *     (rolled back with it, so the index is back for the next document).
 * Rolled back, so the same documents serve both sides; the commit's fsync is therefore not in the
 * figures. Prints the p50 and mean of each side and the ratios.
 *
 *   npx tsx scripts/measure-cancel.ts postgres://postgres@127.0.0.1:5432/netops_<you>_s1 [n]
 *
 * Not part of CI: a measurement. DROP INDEX locks the table: never on a shared database.
 */
import { sql } from "drizzle-orm";
import { createDb, NO_TIMEOUTS, rows } from "../src/db.js";
import { EXIT } from "../src/errors/exit-codes.js";
import { cancelStockDocument } from "../src/queries/index.js";

const [url, nArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: npx tsx scripts/measure-cancel.ts <clone url> [n]");
  process.exit(EXIT.usage);
}
const n = Number(nArg ?? 10);

/** Thrown to roll the measuring transaction back, carrying its timings out. */
class RollbackSignal extends Error {
  constructor(
    readonly read: number,
    readonly cancel: number,
  ) {
    super("rollback");
  }
}

const { db, close } = await createDb({ url, max: 1, ...NO_TIMEOUTS });
try {
  const docs = (
    await rows<{ id: string }>(
      db,
      sql`
      SELECT d.id FROM stock_documents d
       WHERE d.status = 'posted' AND d.doc_type = 'issue'
         AND NOT EXISTS (SELECT 1 FROM repair_order_parts p WHERE p.stock_document_id = d.id)
       ORDER BY random() LIMIT ${n}`,
    )
  ).map((r) => r.id);
  const [count] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM spare_part_movements`);
  console.log(`spare_part_movements: ${count?.n} rows; ${docs.length} posted issue documents`);
  const times = {
    index: { read: [] as number[], cancel: [] as number[] },
    none: { read: [] as number[], cancel: [] as number[] },
  };
  for (const [i, documentId] of docs.entries()) {
    for (const side of i % 2 === 0 ? (["index", "none"] as const) : (["none", "index"] as const)) {
      try {
        await db.transaction(async (tx) => {
          if (side === "none") await tx.execute(sql`DROP INDEX idx_spare_part_movements_ref`);
          const read = sql`SELECT * FROM spare_part_movements WHERE ref_type = 'stock_document' AND ref_id = ${documentId}`;
          // Planned once untimed: the table's catalogue entries (reloaded after the last DROP INDEX
          // rolled back) are in cache, as on a connection in service.
          await tx.execute(sql`EXPLAIN ${read}`);
          let t0 = performance.now();
          const moved = await rows(tx, read);
          const readMs = performance.now() - t0;
          if (moved.length === 0) throw new Error(`document ${documentId} has no movements`);
          t0 = performance.now();
          await cancelStockDocument(tx, { documentId });
          throw new RollbackSignal(readMs, performance.now() - t0);
        });
      } catch (error) {
        if (!(error instanceof RollbackSignal)) throw error;
        times[side].read.push(error.read);
        times[side].cancel.push(error.cancel);
      }
    }
  }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const f = (x: number) => x.toFixed(x >= 100 ? 0 : 2);
  for (const what of ["read", "cancel"] as const) {
    const a = times.index[what];
    const b = times.none[what];
    console.log(
      `${what === "read" ? "a document's movements (read)" : "cancelStockDocument (end to end)"}: ` +
        `with index p50 ${f(p50(a))} ms, mean ${f(mean(a))} ms; without p50 ${f(p50(b))} ms, mean ${f(mean(b))} ms; ` +
        `ratio (without / with) p50 ${f(p50(b) / p50(a))}, mean ${f(mean(b) / mean(a))}`,
    );
  }
} finally {
  await close();
}
