/**
 * importStock / `npm run db:import -- stock`: opening stock posted through the ledger, one receipt
 * per warehouse; bad rows by line and field; the ledger invariant holds and stock equals the file;
 * a re-run with the same ref adds nothing; --all-or-nothing; the CLI's exit codes. Server only.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { ImportFormatError, type ImportReject, importStock } from "../../src/import/index.js";
import {
  checkLedgerInvariant,
  createStockDocument,
  postStockDocument,
  reserveStock,
} from "../../src/queries/index.js";
import { spareParts, warehouses } from "../../src/schema/index.js";
import { pgErrorOf } from "../support/rows.js";
import { onServer, useTestDatabase } from "../support/test-db.js";
import { csv } from "./support.js";

const t = useTestDatabase();

interface Ref {
  id: string;
  code: string;
}
let w1: Ref, w2: Ref, w3: Ref;
let p1: Ref, p2: Ref, p3: Ref;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "netops-stock-import-"));
  if (!onServer()) return;
  const tag = randomUUID().slice(0, 6);
  const ws = await t.db
    .insert(warehouses)
    .values([1, 2, 3].map((i) => ({ code: `WH${i}-${tag}`, name: `Warehouse ${i}` })))
    .returning();
  [w1, w2, w3] = ws.map((w) => ({ id: w.id, code: w.code })) as [Ref, Ref, Ref];
  const ps = await t.db
    .insert(spareParts)
    .values([1, 2, 3].map((i) => ({ partCode: `PART${i}-${tag}`, name: `Part ${i}` })))
    .returning();
  [p1, p2, p3] = ps.map((p) => ({ id: p.id, code: p.partCode })) as [Ref, Ref, Ref];
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function stockOf(whs: Ref[]): Promise<{ w: string; p: string; on_hand: number; reserved: number }[]> {
  return rows(
    t.db,
    sql`SELECT w.code AS w, p.part_code AS p, s.on_hand, s.reserved FROM spare_part_stock s
          JOIN warehouses w ON w.id = s.warehouse_id JOIN spare_parts p ON p.id = s.part_id
         WHERE s.warehouse_id IN (${sql.join(
           whs.map((w) => sql`${w.id}`),
           sql`, `,
         )}) ORDER BY 1, 2`,
  );
}

async function documentsOf(ref: string) {
  return rows<{ code: string; doc_type: string; status: string; lines: number; movements: number }>(
    t.db,
    sql`SELECT d.code, d.doc_type, d.status,
               (SELECT count(*)::int FROM stock_document_lines l WHERE l.document_id = d.id) AS lines,
               (SELECT count(*)::int FROM spare_part_movements m
                 WHERE m.ref_type = 'stock_document' AND m.ref_id = d.id AND m.movement_type = 'in') AS movements
          FROM stock_documents d WHERE d.code LIKE ${`${ref}:%`} ORDER BY d.code`,
  );
}

describe.runIf(onServer())("importStock", () => {
  it("posts one receipt per warehouse, rejects each bad row by line and field; the ledger holds; a re-run adds nothing", async () => {
    const ref = `opening-${randomUUID().slice(0, 6)}`;
    const lines = [
      "warehouse_id,part_id,qty,unit_cost,note",
      `${w1.code},${p1.code},10,12.50,`, // 2: by codes
      `${w1.code},${p2.id},5,,`, // 3: part by id
      `${w2.id},${p1.code},7,3,shelf A`, // 4: warehouse by id
      `${w1.code},NO-SUCH-PART,1,,`, // 5: unknown part
      `${w1.code},${p3.code},0,,`, // 6: qty 0
      `NO-SUCH-WH,${p1.code},1,,`, // 7: unknown warehouse
      `${w1.id},${p1.code},3,,`, // 8: (w1, p1) again, warehouse by id: duplicate
      `${w2.code},${p2.code},1.5,,`, // 9: qty not an integer
      `${w2.code},${p2.code}`, // 10: malformed
      `${w2.code},${p3.code},1,,bad\0note`, // 11: NUL byte
      `${w2.code},${p3.code},1,,${"n".repeat(2001)}`, // 12: note too long
      `${w2.code},${p3.code},1,12.345,`, // 13: unit cost with 3 decimals
      `${w2.code},${p3.code},-4,,`, // 14: negative qty
      `,${p3.code},1,,`, // 15: no warehouse
    ];
    const text = `${lines.join("\n")}\n`;
    const seen: ImportReject[] = [];
    const result = await importStock(t.db, csv(text), { ref, onReject: (r) => seen.push(r) });
    const rejects = seen.filter((r) => !r.skipped);
    expect(rejects.map(({ line, field }) => ({ line, field })).sort((a, b) => a.line - b.line)).toEqual([
      { line: 5, field: "part_id" },
      { line: 6, field: "qty" },
      { line: 7, field: "warehouse_id" },
      { line: 8, field: "(warehouse_id, part_id)" },
      { line: 9, field: "qty" },
      { line: 10, field: null },
      { line: 11, field: "note" },
      { line: 12, field: "note" },
      { line: 13, field: "unit_cost" },
      { line: 14, field: "qty" },
      { line: 15, field: "warehouse_id" },
    ]);
    const reason = (line: number) => rejects.find((r) => r.line === line)?.reason;
    expect(reason(5)).toBe("no spare part has this part_code (give its part_code or id)");
    expect(reason(6)).toBe("must be greater than 0");
    expect(reason(7)).toBe("no warehouse has this code (give its code or id)");
    expect(reason(8)).toMatch(/duplicate \(warehouse_id, part_id\) in the file \(first on line 2\)/);
    expect(reason(9)).toMatch(/integer/);
    expect(reason(15)).toBe("is required");
    expect(result).toMatchObject({ read: 14, inserted: 3, existing: 0, rejected: 11, committed: true });

    expect(await documentsOf(ref)).toEqual([
      { code: `${ref}:${w1.code}`, doc_type: "receipt", status: "posted", lines: 2, movements: 2 },
      { code: `${ref}:${w2.code}`, doc_type: "receipt", status: "posted", lines: 1, movements: 1 },
    ]);
    expect(await stockOf([w1, w2, w3])).toEqual([
      { w: w1.code, p: p1.code, on_hand: 10, reserved: 0 },
      { w: w1.code, p: p2.code, on_hand: 5, reserved: 0 },
      { w: w2.code, p: p1.code, on_hand: 7, reserved: 0 },
    ]);
    const [cost] = await rows<{ unit_cost: string }>(
      t.db,
      sql`SELECT m.unit_cost::text AS unit_cost FROM spare_part_movements m
           WHERE m.warehouse_id = ${w1.id} AND m.part_id = ${p1.id}`,
    );
    expect(cost?.unit_cost).toBe("12.50");
    expect(await checkLedgerInvariant(t.db)).toEqual([]);

    // The same ref again, with one more row for w2 and one for w3: w1's and w2's receipts exist, so
    // their rows are skipped (line 5's unknown part too: a row already loaded is skipped whatever it
    // says, as for every kind; rows refused by the line's schema stay rejected); w3 gets its receipt.
    const more = `${text}${w2.code},${p3.code},2,,\n${w3.code},${p3.code},4,,\n`;
    const skipped: ImportReject[] = [];
    const again = await importStock(t.db, csv(more), { ref, onReject: (r) => r.skipped && skipped.push(r) });
    expect(again).toMatchObject({ inserted: 1, existing: 5, rejected: 10, committed: true });
    expect(skipped.map((r) => r.line)).toEqual([2, 3, 4, 5, 16]);
    expect(skipped[0]?.reason).toMatch(/receipt .* already exists: skipped/);
    expect(await stockOf([w1, w2, w3])).toEqual([
      { w: w1.code, p: p1.code, on_hand: 10, reserved: 0 },
      { w: w1.code, p: p2.code, on_hand: 5, reserved: 0 },
      { w: w2.code, p: p1.code, on_hand: 7, reserved: 0 },
      { w: w3.code, p: p3.code, on_hand: 4, reserved: 0 },
    ]);
    const third = await importStock(t.db, csv(more), { ref });
    expect(third).toMatchObject({ inserted: 0, existing: 6 });
    expect((await documentsOf(ref)).length).toBe(3);
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("--all-or-nothing and --dry-run write no document, movement or stock; a bad ref is refused", async () => {
    const ref = `aon-${randomUUID().slice(0, 6)}`;
    const text = `warehouse_id,part_id,qty\n${w3.code},${p1.code},3\n${w3.code},${p2.code},0\n`;
    const before = await stockOf([w3]);
    const all = await importStock(t.db, csv(text), { ref, allOrNothing: true });
    expect(all).toMatchObject({ inserted: 0, rejected: 1, committed: false });
    const dry = await importStock(t.db, csv(text), { ref, dryRun: true });
    expect(dry).toMatchObject({ inserted: 1, rejected: 1, committed: false });
    expect(await documentsOf(ref)).toEqual([]);
    expect(await stockOf([w3])).toEqual(before);
    await expect(importStock(t.db, csv(text), { ref: "has space" })).rejects.toThrow(ImportFormatError);
  });

  it("the CLI: exit 0 for a clean file (ref from the file name), 9 with rejects (on stdout and in the report)", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/import/cli.ts", ...args], {
          env: { ...process.env, DATABASE_URL: t.url },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
        });
        child.on("exit", (code) => resolve({ code, stdout }));
      });
    const name = `cli-${randomUUID().slice(0, 6)}`;
    const clean = join(dir, `${name}.csv`);
    writeFileSync(clean, `warehouse_id,part_id,qty\n${w3.code},${p2.code},6\n`);
    const ok = await run(["stock", clean]);
    expect(ok.code).toBe(0);
    expect(await documentsOf(name)).toMatchObject([{ code: `${name}:${w3.code}`, status: "posted" }]);
    expect((await run(["stock", clean])).code).toBe(0); // re-run: skipped, nothing added
    expect((await documentsOf(name))[0]?.lines).toBe(1);

    const bad = join(dir, "bad.csv");
    writeFileSync(bad, `warehouse_id,part_id,qty\n${w3.code},${p3.code},2\n${w3.code},NOPE,1\n`);
    const out = await run(["stock", bad, "--ref", `${name}-2`, "--all-or-nothing"]);
    expect(out.code).toBe(9);
    expect(out.stdout).toMatch(/^line 3, part_id: no spare part has this part_code/m);
    expect(readFileSync(`${bad}.rejects.csv`, "utf8").split("\n")[1]).toMatch(/^3,part_id,.*,rejected$/);
    expect(await documentsOf(`${name}-2`)).toEqual([]);
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });

  it("splits a warehouse's rows into receipts of at most 1,000 lines (createStockDocument's bound), in file order; adds to existing stock", async () => {
    const tag = randomUUID().slice(0, 6);
    const [w] = await t.db
      .insert(warehouses)
      .values({ code: `BIG-${tag}`, name: "big" })
      .returning();
    const parts = await rows<{ id: string; part_code: string }>(
      t.db,
      sql`INSERT INTO spare_parts (part_code, name)
          SELECT ${`SP-${tag}-`} || lpad(i::text, 4, '0'), 'part' FROM generate_series(1, 2101) i
          RETURNING id, part_code`,
    );
    parts.sort((a, b) => a.part_code.localeCompare(b.part_code));
    // Stock already held (and partly reserved) for the first part, through the ledger.
    const opening = await createStockDocument(t.db, {
      docType: "receipt",
      warehouseId: w!.id,
      lines: [{ partId: parts[0]!.id, qty: 5 }],
    });
    await postStockDocument(t.db, { documentId: opening.id });
    await reserveStock(t.db, { warehouseId: w!.id, partId: parts[0]!.id, qty: 2 });
    const ref = `split-${tag}`;
    // Rows in file order: part i with qty (i % 7) + 1; one row of w1 at the end.
    const body = parts.map((p, i) => `${w!.code},${p.part_code},${(i % 7) + 1}`);
    const text = `warehouse_id,part_id,qty\n${body.join("\n")}\n${w1.code},${parts[0]!.part_code},3\n`;
    const result = await importStock(t.db, csv(text), { ref });
    expect(result).toMatchObject({ read: 2102, inserted: 2102, rejected: 0, committed: true });

    const docs = await rows<{
      code: string;
      status: string;
      lines: number;
      movements: number;
      first: string;
      last: string;
    }>(
      t.db,
      sql`SELECT d.code, d.status,
                 (SELECT count(*)::int FROM stock_document_lines l WHERE l.document_id = d.id) AS lines,
                 (SELECT count(*)::int FROM spare_part_movements m WHERE m.ref_type = 'stock_document' AND m.ref_id = d.id) AS movements,
                 (SELECT min(p.part_code) FROM stock_document_lines l JOIN spare_parts p ON p.id = l.part_id WHERE l.document_id = d.id) AS first,
                 (SELECT max(p.part_code) FROM stock_document_lines l JOIN spare_parts p ON p.id = l.part_id WHERE l.document_id = d.id) AS last
            FROM stock_documents d WHERE d.code LIKE ${`${ref}:%`} ORDER BY d.code`,
    );
    const code = (n: number) => parts[n - 1]!.part_code;
    expect(docs).toEqual([
      {
        code: `${ref}:${w!.code}`,
        status: "posted",
        lines: 1000,
        movements: 1000,
        first: code(1),
        last: code(1000),
      },
      {
        code: `${ref}:${w!.code}:2`,
        status: "posted",
        lines: 1000,
        movements: 1000,
        first: code(1001),
        last: code(2000),
      },
      {
        code: `${ref}:${w!.code}:3`,
        status: "posted",
        lines: 101,
        movements: 101,
        first: code(2001),
        last: code(2101),
      },
      { code: `${ref}:${w1.code}`, status: "posted", lines: 1, movements: 1, first: code(1), last: code(1) },
    ]);
    const stock = await rows<{ part_code: string; on_hand: number; reserved: number }>(
      t.db,
      sql`SELECT p.part_code, s.on_hand, s.reserved FROM spare_part_stock s JOIN spare_parts p ON p.id = s.part_id
           WHERE s.warehouse_id = ${w!.id} ORDER BY p.part_code`,
    );
    expect(stock.length).toBe(2101);
    expect(stock[0]).toEqual({ part_code: code(1), on_hand: 5 + 1, reserved: 2 }); // added, reservation kept
    expect(stock.slice(1).every((r, i) => r.on_hand === ((i + 1) % 7) + 1 && r.reserved === 0)).toBe(true);
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
    // The same ref again: every row skipped, by the warehouse's first receipt.
    expect(await importStock(t.db, csv(text), { ref })).toMatchObject({ inserted: 0, existing: 2102 });
  });

  it("netops_post_receipts posts only draft receipts, all or none, with postStockDocument's errors", async () => {
    const draft = async (docType: "receipt" | "issue" = "receipt", qty = 2) =>
      (
        await createStockDocument(t.db, {
          docType,
          warehouseId: w3.id,
          correlationId: "corr-doc",
          lines: [{ partId: p1.id, qty }],
        })
      ).id;
    const post = (ids: string[]) =>
      rows<{ document_id: string; movements: number }>(
        t.db,
        sql`SELECT * FROM netops_post_receipts(${`{${ids.join(",")}}`}::uuid[], 'stock_document', 'boss', 'actor-1', NULL)`,
      );
    const before = await stockOf([w3]);
    const posted = await draft();
    await postStockDocument(t.db, { documentId: posted });
    const [good, issue] = [await draft(), await draft("issue", 1)];
    const missing = randomUUID();
    // One document that cannot be posted: nothing is posted, no movement, no stock change.
    const cases: [string[], string, RegExp][] = [
      [[good, posted], "NS004", /is posted, not draft/],
      [[good, issue], "NS005", /has type issue: netops_post_receipts posts receipts only/],
      [[good, missing], "NS003", new RegExp(`stock document ${missing} not found`)],
    ];
    for (const [ids, code, message] of cases) {
      const error = await pgErrorOf(post(ids));
      expect(error?.code).toBe(code);
      expect(error?.message).toMatch(message);
    }
    const afterFirst = await stockOf([w3]);
    const onHand = (list: { p: string; on_hand: number }[]) =>
      list.find((r) => r.p === p1.code)?.on_hand ?? 0;
    expect(onHand(afterFirst)).toBe(onHand(before) + 2); // only postStockDocument's receipt
    expect(await post([good])).toEqual([{ document_id: good, movements: 1 }]);
    expect(onHand(await stockOf([w3]))).toBe(onHand(before) + 4);
    const [m] = await rows<{
      movement_type: string;
      qty: number;
      actor_user_id: string;
      correlation_id: string;
    }>(
      t.db,
      sql`SELECT movement_type, qty, actor_user_id, correlation_id FROM spare_part_movements WHERE ref_id = ${good}`,
    );
    expect(m).toEqual({ movement_type: "in", qty: 2, actor_user_id: "actor-1", correlation_id: "corr-doc" });
    const [doc] = await rows<{ status: string; approved_by: string }>(
      t.db,
      sql`SELECT status, approved_by FROM stock_documents WHERE id = ${good}`,
    );
    expect(doc).toEqual({ status: "posted", approved_by: "boss" });
    expect((await pgErrorOf(post([good])))?.code).toBe("NS004"); // a retry never posts twice
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
  });
});
