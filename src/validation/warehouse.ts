/** Validation schemas of the warehouse domain (warehouses, spare parts, stock documents, movements, repairs). */
import {
  repairOrderParts,
  repairOrders,
  sparePartMovements,
  sparePartStock,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  warehouses,
} from "../schema/warehouse/tables.js";
import { createInsertSchema, createSelectSchema, createUpdateSchema } from "./factory.js";
import {
  code,
  decimal,
  isoDate,
  jsonObject,
  nonNegativeInt,
  opt,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  trimmed,
} from "./refinements.js";

const money = () => decimal({ precision: 12, scale: 2 });

const warehouseRefine = { code: req(code()), name: req(trimmed(255)) };
export const insertWarehouseSchema = createInsertSchema(warehouses, warehouseRefine).strict();
export const updateWarehouseSchema = createUpdateSchema(warehouses, warehouseRefine).strict();
export const selectWarehouseSchema = createSelectSchema(warehouses);

const sparePartRefine = {
  partCode: req(code()),
  name: req(trimmed(255)),
  category: opt(trimmed(100)),
  uom: opt(code(20)),
  manufacturer: opt(trimmed(255)),
  model: opt(trimmed(255)),
  spec: opt(jsonObject()),
  minLevel: opt(nonNegativeInt()),
};
export const insertSparePartSchema = createInsertSchema(spareParts, sparePartRefine).strict();
export const updateSparePartSchema = createUpdateSchema(spareParts, sparePartRefine).strict();
export const selectSparePartSchema = createSelectSchema(spareParts);

const stockRefine = { onHand: opt(nonNegativeInt()), reserved: opt(nonNegativeInt()) };
export const insertSparePartStockSchema = createInsertSchema(sparePartStock, stockRefine).strict();
export const updateSparePartStockSchema = createUpdateSchema(sparePartStock, stockRefine).strict();
export const selectSparePartStockSchema = createSelectSchema(sparePartStock);

const stockDocumentRefine = {
  code: req(code()),
  docDate: opt(isoDate()),
  refType: opt(code(50)),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
  createdBy: opt(trimmed(255)),
  approvedBy: opt(trimmed(255)),
};
export const insertStockDocumentSchema = createInsertSchema(stockDocuments, stockDocumentRefine).strict();
export const updateStockDocumentSchema = createUpdateSchema(stockDocuments, stockDocumentRefine).strict();
export const selectStockDocumentSchema = createSelectSchema(stockDocuments);

/** qty > 0 (the CHECK); the sign of an adjustment is `adjustDirection`. */
const stockDocumentLineRefine = {
  qty: req(positiveInt()),
  unitCost: opt(money()),
  serialNo: opt(code(255)),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const insertStockDocumentLineSchema = createInsertSchema(
  stockDocumentLines,
  stockDocumentLineRefine,
).strict();
export const updateStockDocumentLineSchema = createUpdateSchema(
  stockDocumentLines,
  stockDocumentLineRefine,
).strict();
export const selectStockDocumentLineSchema = createSelectSchema(stockDocumentLines);

/** qty > 0; the direction is the movement type. */
const movementRefine = {
  qty: req(positiveInt()),
  unitCost: opt(money()),
  refType: opt(code(50)),
};
export const insertSparePartMovementSchema = createInsertSchema(sparePartMovements, movementRefine).strict();
export const updateSparePartMovementSchema = createUpdateSchema(sparePartMovements, movementRefine).strict();
export const selectSparePartMovementSchema = createSelectSchema(sparePartMovements);

const repairOrderRefine = {
  code: req(code()),
  title: req(trimmed(255)),
  description: opt(trimmed(TEXT_NAME_MAX * 20)),
  diagnosis: opt(trimmed(TEXT_NAME_MAX * 20)),
  resolution: opt(trimmed(TEXT_NAME_MAX * 20)),
  technicianName: opt(trimmed(255)),
  laborCost: opt(money()),
  partsCost: opt(money()),
  downtimeMinutes: opt(nonNegativeInt()),
};
export const insertRepairOrderSchema = createInsertSchema(repairOrders, repairOrderRefine).strict();
export const updateRepairOrderSchema = createUpdateSchema(repairOrders, repairOrderRefine).strict();
export const selectRepairOrderSchema = createSelectSchema(repairOrders);

const repairOrderPartRefine = {
  partName: opt(trimmed(255)),
  qty: req(positiveInt()),
  unitCost: opt(money()),
  serialNo: opt(code(255)),
  note: opt(trimmed(TEXT_NAME_MAX * 4)),
};
export const insertRepairOrderPartSchema = createInsertSchema(
  repairOrderParts,
  repairOrderPartRefine,
).strict();
export const updateRepairOrderPartSchema = createUpdateSchema(
  repairOrderParts,
  repairOrderPartRefine,
).strict();
export const selectRepairOrderPartSchema = createSelectSchema(repairOrderParts);
