/**
 * Warehouse side of the scale data set: warehouses, spare parts, and a replayed history of stock
 * documents (opening receipts, then receipts, issues, adjustments and transfers over ~2.5 years)
 * whose posted lines become movements. Stock rows are the signed sum of those movements (plus a few
 * reservations), so checkLedgerInvariant holds by construction and is checked before COMMIT.
 * Issues and transfers never take more than the free stock of the moment, as postStockDocument
 * would refuse. Each table replays the same history and keeps its own rows (memory: one counter
 * per stocked (warehouse, part)).
 */
import { pad } from "../generate.js";
import type { LocationTree } from "./assets.js";
import { VENDORS } from "./catalog.js";
import { addDays, at, type ScaleContext, type TableStream, weighted } from "./context.js";
import type { CopyValue } from "./copy.js";
import { hash32, rngAt } from "./ids.js";

const PART_CATEGORIES = [
  "optics",
  "power",
  "cooling",
  "memory",
  "storage",
  "consumables",
  "cabling",
  "boards",
] as const;

export function warehouseStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "warehouses",
    columns: ["id", "code", "name", "location_id", "created_at"],
    expected: ctx.counts.warehouses,
    *rows() {
      for (let w = 0; w < ctx.counts.warehouses; w++) {
        const site = tree.sites[w % tree.sites.length] as LocationTree["sites"][number];
        yield [
          ctx.id("warehouses", w),
          `WH-${pad(w + 1, 3)}`,
          `Spare parts store ${site.code}`,
          ctx.id("locations", site.buildings[0] as number),
          at("2022-12-01", 36_000),
        ];
      }
    },
  };
}

function partCost(ctx: ScaleContext, p: number): string {
  const r = rngAt(ctx.seed, "part_cost", p);
  return `${r.int(1, 900)}.${pad(r.int(0, 99), 2)}`;
}

export function partStream(ctx: ScaleContext): TableStream {
  return {
    table: "spare_parts",
    columns: [
      "id",
      "part_code",
      "name",
      "category",
      "uom",
      "manufacturer",
      "model",
      "spec",
      "min_level",
      "created_at",
    ],
    expected: ctx.counts.parts,
    *rows() {
      for (let p = 0; p < ctx.counts.parts; p++) {
        const r = rngAt(ctx.seed, "spare_parts", p);
        const category = r.pick(PART_CATEGORIES);
        const vendor = r.pick(VENDORS);
        yield [
          ctx.id("spare_parts", p),
          `SP-${pad(p + 1, 6)}`,
          `${vendor.brand} ${category} part ${p + 1}`,
          category,
          category === "cabling" ? "m" : "pcs",
          vendor.name,
          `${vendor.brand.slice(0, 3).toUpperCase()}-${pad(p * 37 + 11, 6)}`,
          {},
          r.int(0, 10),
          at("2022-12-01", 36_000),
        ];
      }
    },
  };
}

type Row = readonly CopyValue[];
type HistoryKind = "document" | "line" | "movement";

interface Level {
  w: number;
  p: number;
  onHand: number;
  reserved: number;
}

const DOC_TYPES = [
  ["receipt", 30],
  ["issue", 50],
  ["adjust", 8],
  ["transfer", 12],
] as const;
const PREFIX = { receipt: "RCV", issue: "ISS", adjust: "ADJ", transfer: "TRF" } as const;

/** The stocked parts of warehouse w: about a quarter of the catalogue. */
function stockedParts(ctx: ScaleContext, w: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < ctx.counts.parts; p++) if (hash32(ctx.seed, w, p, 7) % 4 === 0) out.push(p);
  return out;
}

/**
 * Replay the warehouse history: yields each document, line and movement row as it happens (one
 * document's rows at a time); returns the final stock levels in first-touched order.
 */
export function* replayHistory(ctx: ScaleContext): Generator<[HistoryKind, Row], Level[]> {
  const queue: [HistoryKind, Row][] = [];
  const { warehouses: W, parts: P, documents: D } = ctx.counts;
  const levels = new Map<number, Level>();
  const level = (w: number, p: number) => {
    const key = w * P + p;
    let l = levels.get(key);
    if (!l) {
      l = { w, p, onHand: 0, reserved: 0 };
      levels.set(key, l);
    }
    return l;
  };
  let lineNo = 0;
  let moveNo = 0;
  const move = (
    docId: string,
    w: number,
    p: number,
    type: string,
    qty: number,
    cost: string | null,
    ts: string,
  ) => {
    const l = level(w, p);
    if (type === "in" || type === "adjust_in" || type === "transfer_in") l.onHand += qty;
    else if (type === "reserve") l.reserved += qty;
    else if (type === "release") l.reserved -= qty;
    else l.onHand -= qty;
    queue.push([
      "movement",
      [
        ctx.id("spare_part_movements", moveNo++),
        ctx.id("warehouses", w),
        ctx.id("spare_parts", p),
        type,
        qty,
        cost,
        docId ? "stock_document" : "reservation",
        docId || null,
        "storekeeper",
        null,
        ts,
      ],
    ]);
  };
  const doc = (
    n: number,
    type: keyof typeof PREFIX,
    status: string,
    w: number,
    target: number | null,
    day: string,
    note: string | null,
  ) => {
    const ts = at(day, 32_400 + (n % 28_000));
    queue.push([
      "document",
      [
        ctx.id("stock_documents", n),
        type,
        `${PREFIX[type]}-${day.replaceAll("-", "")}-${pad(n + 1, 7)}`,
        status,
        ctx.id("warehouses", w),
        target === null ? null : ctx.id("warehouses", target),
        day,
        null,
        null,
        note,
        "storekeeper",
        status === "posted" ? "warehouse-lead" : null,
        null,
        ts,
        ts,
      ],
    ]);
    return ts;
  };
  const line = (docN: number, p: number, qty: number, cost: string | null, direction: string | null) => {
    queue.push([
      "line",
      [
        ctx.id("stock_document_lines", lineNo++),
        ctx.id("stock_documents", docN),
        ctx.id("spare_parts", p),
        qty,
        cost,
        null,
        null,
        direction,
      ],
    ]);
  };

  // Opening stock: receipts of up to 200 lines per warehouse, numbered after the D regular documents.
  let opening = D;
  const stocked: number[][] = [];
  for (let w = 0; w < W; w++) {
    const parts = stockedParts(ctx, w);
    stocked.push(parts.length > 0 ? parts : [w % P]);
    for (let i = 0; i < parts.length; i += 200) {
      const n = opening++;
      const ts = doc(n, "receipt", "posted", w, null, "2023-01-02", "Opening stock");
      const r = rngAt(ctx.seed, "opening", n);
      for (const p of parts.slice(i, i + 200)) {
        const qty = r.int(10, 200);
        const cost = partCost(ctx, p);
        line(n, p, qty, cost, null);
        move(ctx.id("stock_documents", n), w, p, "in", qty, cost, ts);
      }
      yield* queue.splice(0);
    }
  }

  for (let n = 0; n < D; n++) {
    const r = rngAt(ctx.seed, "stock_documents", n);
    const w = r.int(0, W - 1);
    const type = weighted(r.next(), DOC_TYPES);
    const target = type === "transfer" ? (w + r.int(1, W - 1)) % W : null;
    const wanted = weighted(r.next(), [
      ["posted", 92],
      ["draft", 5],
      ["canceled", 3],
    ] as const);
    const day = addDays("2023-01-05", Math.floor((n * 880) / D));
    const parts = stocked[w] as number[];
    const picks: number[] = [];
    for (let i = r.int(1, 4); i > 0; i--) {
      const p = r.pick(parts);
      if (!picks.includes(p)) picks.push(p);
    }
    // Decide every line first: a posted document whose lines all find no free stock stays a draft.
    const planned = picks.map((p) => {
      const plus = type === "adjust" ? r.chance(0.4) : false;
      const want = type === "receipt" ? r.int(5, 100) : type === "transfer" ? r.int(1, 20) : r.int(1, 8);
      const l = levels.get(w * P + p);
      const free = l ? l.onHand - l.reserved : 0;
      const qty = type === "receipt" || plus ? want : Math.min(want, free);
      return { p, plus, want, qty };
    });
    const status =
      wanted === "posted" && planned.every((x) => x.qty > 0)
        ? "posted"
        : wanted === "posted"
          ? "draft"
          : wanted;
    const ts = doc(n, type, status, w, target, day, status === "canceled" ? "Canceled before posting" : null);
    for (const x of planned) {
      const cost = type === "receipt" ? partCost(ctx, x.p) : null;
      const qty = status === "posted" ? x.qty : x.want;
      line(n, x.p, qty, cost, type === "adjust" ? (x.plus ? "plus" : "minus") : null);
      if (status !== "posted") continue;
      const id = ctx.id("stock_documents", n);
      if (type === "receipt") move(id, w, x.p, "in", qty, cost, ts);
      else if (type === "issue") move(id, w, x.p, "out", qty, null, ts);
      else if (type === "adjust") move(id, w, x.p, x.plus ? "adjust_in" : "adjust_out", qty, null, ts);
      else {
        move(id, w, x.p, "transfer_out", qty, null, ts);
        move(id, target as number, x.p, "transfer_in", qty, null, ts);
      }
    }
    yield* queue.splice(0);
  }

  // Reservations for pending repairs on a few stock rows, some partly released.
  const out = [...levels.values()];
  for (const [i, l] of out.entries()) {
    const r = rngAt(ctx.seed, "reservations", i);
    const free = l.onHand - l.reserved;
    if (free < 1 || !r.chance(0.05)) continue;
    const qty = r.int(1, Math.min(free, 5));
    move("", l.w, l.p, "reserve", qty, null, at(addDays("2025-05-20", r.int(0, 10)), 40_000));
    if (r.chance(0.5)) move("", l.w, l.p, "release", r.int(1, qty), null, at("2025-05-31", 50_000));
    yield* queue.splice(0);
  }
  return out;
}

const DOC_COLUMNS = [
  "id",
  "doc_type",
  "code",
  "status",
  "warehouse_id",
  "target_warehouse_id",
  "doc_date",
  "ref_type",
  "ref_id",
  "note",
  "created_by",
  "approved_by",
  "correlation_id",
  "created_at",
  "updated_at",
];
const LINE_COLUMNS = [
  "id",
  "document_id",
  "part_id",
  "qty",
  "unit_cost",
  "serial_no",
  "note",
  "adjust_direction",
];
const MOVEMENT_COLUMNS = [
  "id",
  "warehouse_id",
  "part_id",
  "movement_type",
  "qty",
  "unit_cost",
  "ref_type",
  "ref_id",
  "actor_user_id",
  "correlation_id",
  "created_at",
];

/** One replay per table, keeping only that table's rows (a replay of 100k documents takes about a second). */
function* replayed(ctx: ScaleContext, kind: HistoryKind): Generator<Row> {
  for (const [k, row] of replayHistory(ctx)) if (k === kind) yield row;
}

/** Final stock levels: the replay run to its end. */
function finalLevels(ctx: ScaleContext): Level[] {
  const history = replayHistory(ctx);
  for (;;) {
    const step = history.next();
    if (step.done) return step.value;
  }
}

export function documentStreams(ctx: ScaleContext): TableStream[] {
  const docs = ctx.counts.documents;
  return [
    {
      table: "stock_documents",
      columns: DOC_COLUMNS,
      expected: Math.round(docs * 1.01),
      rows: () => replayed(ctx, "document"),
    },
    {
      table: "stock_document_lines",
      columns: LINE_COLUMNS,
      expected: Math.round(docs * 2.6),
      rows: () => replayed(ctx, "line"),
    },
    {
      table: "spare_part_movements",
      columns: MOVEMENT_COLUMNS,
      expected: Math.round(docs * 2.6),
      rows: () => replayed(ctx, "movement"),
    },
    {
      table: "spare_part_stock",
      columns: ["id", "warehouse_id", "part_id", "on_hand", "reserved", "updated_at"],
      expected: Math.round((ctx.counts.warehouses * ctx.counts.parts) / 3.5),
      *rows() {
        for (const [k, l] of finalLevels(ctx).entries()) {
          yield [
            ctx.id("spare_part_stock", k),
            ctx.id("warehouses", l.w),
            ctx.id("spare_parts", l.p),
            l.onHand,
            l.reserved,
            "2025-06-01 00:00:00+00",
          ];
        }
      },
    },
  ];
}
