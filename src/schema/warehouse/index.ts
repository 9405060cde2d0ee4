/** warehouse domain: value lists, tables, relations and row types. */
export * from "./relations.js";
export * from "./tables.js";

import type {
  repairOrderParts,
  repairOrders,
  sparePartMovements,
  sparePartStock,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  warehouses,
} from "./tables.js";

export type Warehouse = typeof warehouses.$inferSelect;
export type NewWarehouse = typeof warehouses.$inferInsert;
export type SparePart = typeof spareParts.$inferSelect;
export type NewSparePart = typeof spareParts.$inferInsert;
export type SparePartStock = typeof sparePartStock.$inferSelect;
export type NewSparePartStock = typeof sparePartStock.$inferInsert;
export type StockDocument = typeof stockDocuments.$inferSelect;
export type NewStockDocument = typeof stockDocuments.$inferInsert;
export type StockDocumentLine = typeof stockDocumentLines.$inferSelect;
export type NewStockDocumentLine = typeof stockDocumentLines.$inferInsert;
export type SparePartMovement = typeof sparePartMovements.$inferSelect;
export type NewSparePartMovement = typeof sparePartMovements.$inferInsert;
export type RepairOrder = typeof repairOrders.$inferSelect;
export type NewRepairOrder = typeof repairOrders.$inferInsert;
export type RepairOrderPart = typeof repairOrderParts.$inferSelect;
export type NewRepairOrderPart = typeof repairOrderParts.$inferInsert;
