/**
 * Validation schemas of the warehouse domain (warehouses, spare parts, stock documents, movements,
 * repairs): the tables' schemas from their column rules, then every operation's input derived from
 * them (src/queries/warehouse).
 */
import { z } from "zod";
import type { ValidationIssue } from "../../errors/base.js";
import { assets } from "../../schema/assets/tables.js";
import {
  type ADJUST_DIRECTIONS,
  repairOrderParts,
  repairOrders,
  type STOCK_DOCUMENT_TYPES,
  sparePartMovements,
  sparePartStock,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  warehouses,
} from "../../schema/warehouse/tables.js";
import { requireLength } from "../columns.js";
import { columnFields, columnRule, tableSchemas } from "../factory.js";
import {
  actorUserId,
  code,
  correlationId,
  decimal,
  isoDate,
  jsonObject,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
  uuid,
} from "../refinements.js";

/** A part's serial number (text here): the rule of an asset's serial_no, bounded by that column. */
const serialNo = () => code(requireLength(assets.serialNo));

const warehouseRefine = { code: req(code()), name: req(trimmed) };
export const {
  insert: insertWarehouseSchema,
  update: updateWarehouseSchema,
  select: selectWarehouseSchema,
} = tableSchemas(warehouses, warehouseRefine);

const sparePartRefine = {
  partCode: req(code()),
  name: req(trimmed),
  category: opt(trimmed(100)),
  uom: opt(code(20)),
  manufacturer: opt(trimmed),
  model: opt(trimmed),
  spec: opt(jsonObject()),
  minLevel: opt(nonNegativeInt),
};
export const {
  insert: insertSparePartSchema,
  update: updateSparePartSchema,
  select: selectSparePartSchema,
} = tableSchemas(spareParts, sparePartRefine);

const stockRefine = { onHand: opt(nonNegativeInt), reserved: opt(nonNegativeInt) };
export const {
  insert: insertSparePartStockSchema,
  update: updateSparePartStockSchema,
  select: selectSparePartStockSchema,
} = tableSchemas(sparePartStock, stockRefine);

const stockDocumentRefine = {
  code: req(code()),
  docDate: opt(isoDate()),
  refType: opt(code(50)),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
  createdBy: opt(actorUserId()),
  approvedBy: opt(actorUserId()),
  correlationId: opt(correlationId()),
};
export const {
  insert: insertStockDocumentSchema,
  update: updateStockDocumentSchema,
  select: selectStockDocumentSchema,
} = tableSchemas(stockDocuments, stockDocumentRefine);

/** qty > 0 (the CHECK); the sign of an adjustment is `adjustDirection`. */
const stockDocumentLineRefine = {
  qty: req(positiveInt),
  unitCost: opt(decimal),
  serialNo: opt(serialNo()),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const {
  insert: insertStockDocumentLineSchema,
  update: updateStockDocumentLineSchema,
  select: selectStockDocumentLineSchema,
} = tableSchemas(stockDocumentLines, stockDocumentLineRefine);

/** qty > 0; the direction is the movement type. */
const movementRefine = {
  qty: req(positiveInt),
  unitCost: opt(decimal),
  refType: opt(code(50)),
  actorUserId: opt(actorUserId()),
  correlationId: opt(correlationId()),
};
export const {
  insert: insertSparePartMovementSchema,
  update: updateSparePartMovementSchema,
  select: selectSparePartMovementSchema,
} = tableSchemas(sparePartMovements, movementRefine);

const repairOrderRefine = {
  code: req(code()),
  title: req(trimmed),
  description: opt(trimmed(TEXT_NAME_MAX * 20)),
  diagnosis: opt(trimmed(TEXT_NAME_MAX * 20)),
  resolution: opt(trimmed(TEXT_NAME_MAX * 20)),
  technicianName: opt(trimmed),
  laborCost: opt(decimal),
  partsCost: opt(decimal),
  downtimeMinutes: opt(nonNegativeInt),
  createdBy: opt(actorUserId()),
  correlationId: opt(correlationId()),
};
export const {
  insert: insertRepairOrderSchema,
  update: updateRepairOrderSchema,
  select: selectRepairOrderSchema,
} = tableSchemas(repairOrders, repairOrderRefine);

const repairOrderPartRefine = {
  partName: opt(trimmed),
  qty: req(positiveInt),
  unitCost: opt(decimal),
  serialNo: opt(serialNo()),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const {
  insert: insertRepairOrderPartSchema,
  update: updateRepairOrderPartSchema,
  select: selectRepairOrderPartSchema,
} = tableSchemas(repairOrderParts, repairOrderPartRefine);

// Operation inputs (src/queries/warehouse) ---------------------------------------------------------
// Every field that writes a column is that column's rule (columnFields: picked from the table's
// insert schema); only ids (required here, nullable in the table) and fields that map to no column
// are declared here.

/** Who did it and which request it belongs to: the columns of the movements a change writes. */
const movementActor = columnFields(insertSparePartMovementSchema, "actorUserId", "correlationId");

/** One line of a stock document (the `adjustDirection` of adjust documents only). */
export const stockDocumentLineInput = z.strictObject({
  partId: uuid(),
  ...columnFields(insertStockDocumentLineSchema, "qty", "unitCost", "serialNo", "note", "adjustDirection"),
});
/** Lines per stock document (createStockDocument's bound; the stock import splits its receipts by it). */
export const STOCK_DOCUMENT_MAX_LINES = 1000;
export const stockDocumentLinesInput = z.array(stockDocumentLineInput).min(1).max(STOCK_DOCUMENT_MAX_LINES);

/** Adjust lines need a direction; other lines must not have one. */
export function lineDirectionIssues(
  docType: (typeof STOCK_DOCUMENT_TYPES)[number],
  lines: { adjustDirection?: (typeof ADJUST_DIRECTIONS)[number] | undefined }[],
): ValidationIssue[] {
  return lines.flatMap((line, i): ValidationIssue[] => {
    if (docType === "adjust" && !line.adjustDirection) {
      return [{ path: `lines.${i}.adjustDirection`, message: "adjust lines need plus or minus" }];
    }
    if (docType !== "adjust" && line.adjustDirection) {
      return [{ path: `lines.${i}.adjustDirection`, message: "only adjust lines have a direction" }];
    }
    return [];
  });
}

export const createStockDocumentInput = z
  .strictObject({
    ...columnFields(
      insertStockDocumentSchema,
      "docType",
      "docDate",
      "refType",
      "note",
      "createdBy",
      "correlationId",
    ),
    /** Unique document code; generated ("ISS-<date>-<random>") when omitted. */
    code: insertStockDocumentSchema.shape.code.optional(),
    warehouseId: uuid(),
    /** transfer documents only: the receiving warehouse. */
    targetWarehouseId: uuid().optional(),
    refId: uuid().optional(),
    lines: stockDocumentLinesInput,
  })
  .superRefine((doc, ctx) => {
    if (doc.docType === "transfer") {
      if (!doc.targetWarehouseId) {
        ctx.addIssue({
          code: "custom",
          path: ["targetWarehouseId"],
          message: "a transfer needs a target warehouse",
        });
      } else if (doc.targetWarehouseId === doc.warehouseId) {
        ctx.addIssue({
          code: "custom",
          path: ["targetWarehouseId"],
          message: "target must differ from source",
        });
      }
    } else if (doc.targetWarehouseId) {
      ctx.addIssue({ code: "custom", path: ["targetWarehouseId"], message: "only transfers have a target" });
    }
    for (const issue of lineDirectionIssues(doc.docType, doc.lines)) {
      ctx.addIssue({ code: "custom", path: issue.path.split("."), message: issue.message });
    }
  });

export const documentIdInput = z.strictObject({ documentId: uuid() });

export const updateDraftInput = z.strictObject({
  documentId: uuid(),
  ...columnFields(insertStockDocumentSchema, "docDate"),
  /** null clears the note. */
  note: insertStockDocumentSchema.shape.note,
  /** Replaces every line of the draft. */
  lines: stockDocumentLinesInput.optional(),
});

export const postStockDocumentInput = z.strictObject({
  documentId: uuid(),
  ...columnFields(insertStockDocumentSchema, "approvedBy"),
  ...movementActor,
});

export const cancelStockDocumentInput = z.strictObject({ documentId: uuid(), ...movementActor });

export const stockKeyInput = z.strictObject({ warehouseId: uuid(), partId: uuid() });

export const reservationInput = z.strictObject({
  warehouseId: uuid(),
  partId: uuid(),
  ...columnFields(insertSparePartMovementSchema, "qty", "refType"),
  refId: uuid().optional(),
  ...movementActor,
});

export const lowStockInput = z.strictObject({ warehouseId: uuid().optional() }).optional();

export const openRepairOrderInput = z.strictObject({
  assetId: uuid(),
  ciId: uuid().optional(),
  /** Unique code; generated ("RO-<date>-<random>") when omitted. */
  code: insertRepairOrderSchema.shape.code.optional(),
  ...columnFields(
    insertRepairOrderSchema,
    "title",
    "description",
    "severity",
    "technicianName",
    "createdBy",
    "correlationId",
  ),
  repairType: insertRepairOrderSchema.shape.repairType.default("internal"),
  vendorId: uuid().optional(),
  actorUserId: movementActor.actorUserId,
});

export const addRepairPartsInput = z.strictObject({
  repairOrderId: uuid(),
  warehouseId: uuid(),
  parts: z
    .array(
      z.strictObject({
        partId: uuid(),
        /** unitCost defaults to the unit cost of the part's latest receipt into that warehouse, else 0. */
        ...columnFields(insertRepairOrderPartSchema, "qty", "unitCost", "serialNo", "note"),
        action: insertRepairOrderPartSchema.shape.action.default("replace"),
      }),
    )
    .min(1)
    .max(200),
  ...movementActor,
});

export const progressRepairOrderInput = z.strictObject({
  repairOrderId: uuid(),
  status: columnRule(insertRepairOrderSchema, "status").extract(["diagnosing", "waiting_parts", "repaired"]),
  ...columnFields(insertRepairOrderSchema, "diagnosis"),
});

export const closeRepairOrderInput = z.strictObject({
  repairOrderId: uuid(),
  ...columnFields(insertRepairOrderSchema, "resolution", "laborCost"),
  /** Defaults to the minutes between opened_at and now. */
  ...columnFields(insertRepairOrderSchema, "downtimeMinutes"),
  ...movementActor,
});

export const cancelRepairOrderInput = z.strictObject({
  repairOrderId: uuid(),
  /**
   * The order consumed parts that are still out of stock: true cancels their issue documents
   * (reversing movements put the parts back), false (default) refuses the cancel.
   */
  returnParts: z.boolean().default(false),
  ...movementActor,
});
