/**
 * Posting throughput: N clients (each its own pool of one connection) post pre-created issue
 * drafts, through postStockDocument and through the equivalent hand-written SQL on postgres.js
 * (same statements: lock document, read lines, lock stock row, check, update stock, insert
 * movement, mark posted). Two shapes: every client on one hot stock row, or each on its own part.
 */
import postgres from "postgres";
import { createDb, type Database } from "../src/db.js";
import { postStockDocument } from "../src/queries/warehouse/index.js";
import {
  sparePartStock,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  warehouses,
} from "../src/schema/index.js";
import { fmt, now } from "./stats.js";

export interface PostingOptions {
  clients: number;
  docsPerClient: number;
}

interface Setup {
  warehouseId: string;
  /** Draft ids per client, and the part each client's drafts issue. */
  drafts: { ids: string[]; partId: string }[];
}

let batch = 0;

async function prepare(db: Database, o: PostingOptions, hot: boolean): Promise<Setup> {
  const tag = `${Date.now().toString(36)}${++batch}`;
  const [wh] = await db
    .insert(warehouses)
    .values({ code: `BENCH-${tag}`, name: "bench" })
    .returning();
  const partCount = hot ? 1 : o.clients;
  const parts = await db
    .insert(spareParts)
    .values(
      Array.from({ length: partCount }, (_, i) => ({ partCode: `BP-${tag}-${i}`, name: `bench part ${i}` })),
    )
    .returning();
  // Enough stock that no post is refused: throughput of the success path.
  await db.insert(sparePartStock).values(
    parts.map((p) => ({
      warehouseId: wh!.id,
      partId: p.id,
      onHand: o.clients * o.docsPerClient,
      reserved: 0,
    })),
  );
  const drafts: Setup["drafts"] = [];
  for (let c = 0; c < o.clients; c++) {
    const partId = parts[hot ? 0 : c]!.id;
    const docs = await db
      .insert(stockDocuments)
      .values(
        Array.from({ length: o.docsPerClient }, (_, i) => ({
          docType: "issue" as const,
          code: `BD-${tag}-${c}-${i}`,
          status: "draft" as const,
          warehouseId: wh!.id,
        })),
      )
      .returning({ id: stockDocuments.id });
    await db.insert(stockDocumentLines).values(docs.map((d) => ({ documentId: d.id, partId, qty: 1 })));
    drafts.push({ ids: docs.map((d) => d.id), partId });
  }
  return { warehouseId: wh!.id, drafts };
}

/** The baseline: the same work as postStockDocument for a one-line issue, in raw SQL. */
async function rawPost(sql: postgres.Sql, documentId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [doc] =
      await tx`SELECT id, status, warehouse_id FROM stock_documents WHERE id = ${documentId} FOR UPDATE`;
    if (doc?.status !== "draft") throw new Error("not a draft");
    const lines =
      await tx`SELECT part_id, qty, unit_cost FROM stock_document_lines WHERE document_id = ${documentId}`;
    const line = lines[0]!;
    const [stock] = await tx`
      SELECT on_hand, reserved FROM spare_part_stock
       WHERE warehouse_id = ${doc.warehouse_id} AND part_id = ${line.part_id} FOR UPDATE`;
    if (!stock || stock.on_hand - stock.reserved < line.qty) throw new Error("insufficient");
    await tx`
      UPDATE spare_part_stock SET on_hand = on_hand - ${line.qty}, updated_at = now()
       WHERE warehouse_id = ${doc.warehouse_id} AND part_id = ${line.part_id}`;
    await tx`
      INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, unit_cost, ref_type, ref_id)
      VALUES (${doc.warehouse_id}, ${line.part_id}, 'out', ${line.qty}, ${line.unit_cost}, 'stock_document', ${documentId})`;
    await tx`UPDATE stock_documents SET status = 'posted', updated_at = now() WHERE id = ${documentId}`;
  });
}

async function run(
  url: string,
  setup: Setup,
  post: (client: { db: Database; sql: postgres.Sql }, id: string) => Promise<void>,
): Promise<{ docsPerSecond: number; clientCpuMsPerDoc: number }> {
  const clients = await Promise.all(
    setup.drafts.map(async () => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const handle = await createDb({ url, max: 1 });
      return { sql, handle };
    }),
  );
  try {
    // Warm both connections (connect, first prepare) outside the timed region.
    await Promise.all(clients.map((c) => Promise.all([c.sql`select 1`, c.handle.db.$count(warehouses)])));
    const start = now();
    const cpu = process.cpuUsage();
    await Promise.all(
      setup.drafts.map(async (d, i) => {
        const c = clients[i]!;
        for (const id of d.ids) await post({ db: c.handle.db, sql: c.sql }, id);
      }),
    );
    const seconds = (now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const docs = setup.drafts.reduce((s, d) => s + d.ids.length, 0);
    return { docsPerSecond: docs / seconds, clientCpuMsPerDoc: (used.user + used.system) / 1000 / docs };
  } finally {
    await Promise.all(clients.map((c) => Promise.all([c.sql.end(), c.handle.close()])));
  }
}

export interface PostingResult {
  shape: string;
  ours: number;
  raw: number;
}

export async function benchPosting(db: Database, url: string, o: PostingOptions): Promise<PostingResult[]> {
  const results: PostingResult[] = [];
  for (const hot of [true, false]) {
    const shape = hot ? "one hot stock row" : "one part per client";
    // Alternate raw / ours twice and keep the best of each, so neither side gets only a cold cache.
    let ours = { docsPerSecond: 0, clientCpuMsPerDoc: 0 };
    let raw = { docsPerSecond: 0, clientCpuMsPerDoc: 0 };
    const best = (a: typeof ours, b: typeof ours) => (b.docsPerSecond > a.docsPerSecond ? b : a);
    for (let round = 0; round < 2; round++) {
      raw = best(raw, await run(url, await prepare(db, o, hot), (c, id) => rawPost(c.sql, id)));
      ours = best(
        ours,
        await run(url, await prepare(db, o, hot), async (c, id) => {
          await postStockDocument(c.db, { documentId: id });
        }),
      );
    }
    console.log(
      `  posting, ${o.clients} clients x ${o.docsPerClient} docs, ${shape}: ours ${fmt(ours.docsPerSecond, 0)} docs/s, ` +
        `raw SQL ${fmt(raw.docsPerSecond, 0)} docs/s, ours/raw ${fmt(ours.docsPerSecond / raw.docsPerSecond)} ` +
        `(client CPU per doc: ours ${fmt(ours.clientCpuMsPerDoc)} ms, raw ${fmt(raw.clientCpuMsPerDoc)} ms)`,
    );
    results.push({ shape, ours: ours.docsPerSecond, raw: raw.docsPerSecond });
  }
  return results;
}
