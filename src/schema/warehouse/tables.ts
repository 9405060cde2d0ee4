/**
 * Warehouse & maintenance: warehouses, spare parts and their stock, stock documents with lines,
 * the movement ledger, repair orders and the parts they consume (seed 001).
 */
import { sql } from "drizzle-orm";
import { check, date, index, integer, numeric, pgTable, text, uuid } from "drizzle-orm/pg-core";
import {
  constraintsOf,
  createdAt,
  id,
  jsonObject,
  literalList,
  SEVERITIES,
  timestamptz,
  updatedAt,
} from "../_helpers.js";
import { assets, locations, vendors } from "../assets/tables.js";
import { cmdbCis } from "../cmdb/tables.js";

export const STOCK_DOCUMENT_TYPES = ["receipt", "issue", "adjust", "transfer"] as const;
export const STOCK_DOCUMENT_STATUSES = ["draft", "posted", "canceled"] as const;
export const ADJUST_DIRECTIONS = ["plus", "minus"] as const;
export const MOVEMENT_TYPES = [
  "in",
  "out",
  "adjust_in",
  "adjust_out",
  "transfer_in",
  "transfer_out",
  "reserve",
  "release",
] as const;
/** Movements that bring a part into a warehouse at a cost: the latest one's unit_cost is the part's current cost there. */
export const RECEIPT_MOVEMENT_TYPES = [
  "in",
  "transfer_in",
] as const satisfies readonly (typeof MOVEMENT_TYPES)[number][];
export const REPAIR_ORDER_STATUSES = [
  "open",
  "diagnosing",
  "waiting_parts",
  "repaired",
  "closed",
  "canceled",
] as const;
export const REPAIR_TYPES = ["internal", "vendor"] as const;
export const REPAIR_PART_ACTIONS = ["replace", "add", "remove", "upgrade"] as const;

const warehousesC = constraintsOf("warehouses");
export const warehouses = pgTable(
  "warehouses",
  {
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    locationId: uuid("location_id"),
    createdAt: createdAt(),
  },
  (t) => [
    warehousesC.unique(t.code),
    warehousesC.fk(t.locationId, locations.id, "set null"),
    index("idx_warehouses_location_id").on(t.locationId),
  ],
);

export const spareParts = pgTable(
  "spare_parts",
  {
    id: id(),
    partCode: text("part_code").notNull(),
    name: text("name").notNull(),
    category: text("category"),
    uom: text("uom").default("pcs"),
    manufacturer: text("manufacturer"),
    model: text("model"),
    spec: jsonObject("spec"),
    minLevel: integer("min_level").default(0),
    createdAt: createdAt(),
  },
  (t) => [constraintsOf("spare_parts").unique(t.partCode)],
);

const stockC = constraintsOf("spare_part_stock");
export const sparePartStock = pgTable(
  "spare_part_stock",
  {
    id: id(),
    warehouseId: uuid("warehouse_id"),
    partId: uuid("part_id"),
    onHand: integer("on_hand").default(0),
    reserved: integer("reserved").default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    stockC.fk(t.warehouseId, warehouses.id, "cascade"),
    stockC.fk(t.partId, spareParts.id, "cascade"),
    stockC.unique(t.warehouseId, t.partId),
    // Documented although the unique constraint indexes the same columns (kept for fidelity).
    index("idx_spare_part_stock_lookup").on(t.warehouseId, t.partId),
    index("idx_spare_part_stock_part_id").on(t.partId),
    stockC.check(t.onHand, sql`${t.onHand} >= 0`),
    stockC.check(t.reserved, sql`${t.reserved} >= 0`),
    // A CHECK over two columns, named here (the constraintsOf helpers name one-column checks only).
    check("spare_part_stock_reserved_within_on_hand_check", sql`${t.reserved} <= ${t.onHand}`),
  ],
);

const documentsC = constraintsOf("stock_documents");
export const stockDocuments = pgTable(
  "stock_documents",
  {
    id: id(),
    docType: text("doc_type", { enum: STOCK_DOCUMENT_TYPES }).notNull(),
    code: text("code").notNull(),
    status: text("status", { enum: STOCK_DOCUMENT_STATUSES }).notNull(),
    warehouseId: uuid("warehouse_id"),
    targetWarehouseId: uuid("target_warehouse_id"), // transfers only
    docDate: date("doc_date", { mode: "string" }).default(sql`CURRENT_DATE`),
    refType: text("ref_type"),
    refId: uuid("ref_id"),
    note: text("note"),
    createdBy: text("created_by"),
    approvedBy: text("approved_by"),
    correlationId: text("correlation_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    documentsC.unique(t.code),
    documentsC.fk(t.warehouseId, warehouses.id, "set null"),
    documentsC.fk(t.targetWarehouseId, warehouses.id, "set null"),
    documentsC.oneOf(t.docType, STOCK_DOCUMENT_TYPES),
    documentsC.oneOf(t.status, STOCK_DOCUMENT_STATUSES),
    index("idx_stock_documents_status").on(t.status, t.docDate.desc().nullsFirst()),
    index("idx_stock_documents_warehouse_id").on(t.warehouseId),
    index("idx_stock_documents_target_warehouse_id").on(t.targetWarehouseId),
  ],
);

const linesC = constraintsOf("stock_document_lines");
export const stockDocumentLines = pgTable(
  "stock_document_lines",
  {
    id: id(),
    documentId: uuid("document_id"),
    partId: uuid("part_id"),
    qty: integer("qty").notNull(),
    unitCost: numeric("unit_cost", { precision: 12, scale: 2 }),
    serialNo: text("serial_no"),
    note: text("note"),
    adjustDirection: text("adjust_direction", { enum: ADJUST_DIRECTIONS }), // adjust documents only
  },
  (t) => [
    linesC.fk(t.documentId, stockDocuments.id, "cascade"),
    // Documented without ON DELETE: NO ACTION, a part named on a document line cannot be deleted.
    linesC.fk(t.partId, spareParts.id),
    linesC.check(t.qty, sql`${t.qty} > 0`),
    linesC.oneOf(t.adjustDirection, ADJUST_DIRECTIONS),
    index("idx_stock_document_lines_document_id").on(t.documentId),
    index("idx_stock_document_lines_part_id").on(t.partId),
  ],
);

const movementsC = constraintsOf("spare_part_movements");
/** The stock ledger: on_hand of a (warehouse, part) is the signed sum of its movements. */
export const sparePartMovements = pgTable(
  "spare_part_movements",
  {
    id: id(),
    warehouseId: uuid("warehouse_id"),
    partId: uuid("part_id"),
    movementType: text("movement_type", { enum: MOVEMENT_TYPES }).notNull(),
    qty: integer("qty").notNull(),
    unitCost: numeric("unit_cost", { precision: 12, scale: 2 }),
    refType: text("ref_type"),
    refId: uuid("ref_id"),
    actorUserId: text("actor_user_id"),
    correlationId: text("correlation_id"),
    createdAt: createdAt(),
  },
  (t) => [
    movementsC.fk(t.warehouseId, warehouses.id, "cascade"),
    movementsC.fk(t.partId, spareParts.id, "cascade"),
    movementsC.oneOf(t.movementType, MOVEMENT_TYPES),
    movementsC.check(t.qty, sql`${t.qty} > 0`),
    // The ledger is read per (warehouse, part); the second index serves per-part reports and deletes.
    index("idx_spare_part_movements_warehouse_id_part_id").on(t.warehouseId, t.partId),
    index("idx_spare_part_movements_part_id").on(t.partId),
    // A document's movements (cancelStockDocument reads them by ref): 60 ms -> 1.4 s at 10 M
    // movements without it (docs/scaling.md).
    index("idx_spare_part_movements_ref").on(t.refType, t.refId),
    // A part's latest receipt cost in a warehouse (addRepairParts, latestReceiptCosts): the newest
    // entry of the pair, one index probe, instead of every movement of the pair (78 buffers -> 5 at
    // 10 M movements, docs/scaling.md). Partial: only the rows that read can return.
    index("idx_spare_part_movements_receipt_cost")
      .on(t.warehouseId, t.partId, t.createdAt.desc().nullsFirst())
      .where(
        sql`${t.movementType} IN (${literalList(RECEIPT_MOVEMENT_TYPES)}) AND ${t.unitCost} IS NOT NULL`,
      ),
  ],
);

const repairOrdersC = constraintsOf("repair_orders");
export const repairOrders = pgTable(
  "repair_orders",
  {
    id: id(),
    assetId: uuid("asset_id"),
    ciId: uuid("ci_id"),
    code: text("code").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    severity: text("severity", { enum: SEVERITIES }).notNull(),
    status: text("status", { enum: REPAIR_ORDER_STATUSES }).notNull(),
    openedAt: timestamptz("opened_at").defaultNow(),
    closedAt: timestamptz("closed_at"),
    diagnosis: text("diagnosis"),
    resolution: text("resolution"),
    repairType: text("repair_type", { enum: REPAIR_TYPES }).notNull(),
    technicianName: text("technician_name"),
    vendorId: uuid("vendor_id"),
    // The document's `DEFAULT 0` is stored as `0`; .default("0") would store '0'::numeric.
    laborCost: numeric("labor_cost", { precision: 12, scale: 2 }).default(sql`0`),
    partsCost: numeric("parts_cost", { precision: 12, scale: 2 }).default(sql`0`),
    downtimeMinutes: integer("downtime_minutes"),
    createdBy: text("created_by"),
    correlationId: text("correlation_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    repairOrdersC.fk(t.assetId, assets.id, "cascade"),
    repairOrdersC.fk(t.ciId, cmdbCis.id, "set null"),
    repairOrdersC.unique(t.code),
    repairOrdersC.oneOf(t.severity, SEVERITIES),
    repairOrdersC.oneOf(t.status, REPAIR_ORDER_STATUSES),
    repairOrdersC.oneOf(t.repairType, REPAIR_TYPES),
    repairOrdersC.fk(t.vendorId, vendors.id, "set null"),
    index("idx_repair_orders_status").on(t.status, t.openedAt.desc().nullsFirst()),
    index("idx_repair_orders_asset_id").on(t.assetId),
    index("idx_repair_orders_ci_id").on(t.ciId),
    index("idx_repair_orders_vendor_id").on(t.vendorId),
  ],
);

const repairPartsC = constraintsOf("repair_order_parts");
export const repairOrderParts = pgTable(
  "repair_order_parts",
  {
    id: id(),
    repairOrderId: uuid("repair_order_id"),
    partId: uuid("part_id"),
    partName: text("part_name"), // kept so the record survives deletion of the part
    warehouseId: uuid("warehouse_id"),
    action: text("action", { enum: REPAIR_PART_ACTIONS }).notNull(),
    qty: integer("qty").notNull(),
    unitCost: numeric("unit_cost", { precision: 12, scale: 2 }),
    serialNo: text("serial_no"),
    note: text("note"),
    stockDocumentId: uuid("stock_document_id"),
    createdAt: createdAt(),
  },
  (t) => [
    repairPartsC.fk(t.repairOrderId, repairOrders.id, "cascade"),
    repairPartsC.fk(t.partId, spareParts.id, "set null"),
    repairPartsC.fk(t.warehouseId, warehouses.id, "set null"),
    repairPartsC.oneOf(t.action, REPAIR_PART_ACTIONS),
    repairPartsC.check(t.qty, sql`${t.qty} > 0`),
    repairPartsC.fk(t.stockDocumentId, stockDocuments.id, "set null"),
    index("idx_repair_order_parts_repair_order_id").on(t.repairOrderId),
    index("idx_repair_order_parts_part_id").on(t.partId),
    index("idx_repair_order_parts_warehouse_id").on(t.warehouseId),
    index("idx_repair_order_parts_stock_document_id").on(t.stockDocumentId),
  ],
);
