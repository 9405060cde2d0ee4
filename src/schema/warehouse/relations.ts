import { relations } from "drizzle-orm";
import { assets, locations, vendors } from "../assets/tables.js";
import { cmdbCis } from "../cmdb/tables.js";
import {
  repairOrderParts,
  repairOrders,
  sparePartMovements,
  sparePartStock,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  warehouses,
} from "./tables.js";

export const warehousesRelations = relations(warehouses, ({ one, many }) => ({
  location: one(locations, { fields: [warehouses.locationId], references: [locations.id] }),
  stock: many(sparePartStock),
  movements: many(sparePartMovements),
  documents: many(stockDocuments, { relationName: "document_warehouse" }),
  incomingTransfers: many(stockDocuments, { relationName: "document_target_warehouse" }),
}));

export const sparePartsRelations = relations(spareParts, ({ many }) => ({
  stock: many(sparePartStock),
  movements: many(sparePartMovements),
  documentLines: many(stockDocumentLines),
  repairOrderParts: many(repairOrderParts),
}));

export const sparePartStockRelations = relations(sparePartStock, ({ one }) => ({
  warehouse: one(warehouses, {
    fields: [sparePartStock.warehouseId],
    references: [warehouses.id],
  }),
  part: one(spareParts, { fields: [sparePartStock.partId], references: [spareParts.id] }),
}));

export const stockDocumentsRelations = relations(stockDocuments, ({ one, many }) => ({
  warehouse: one(warehouses, {
    fields: [stockDocuments.warehouseId],
    references: [warehouses.id],
    relationName: "document_warehouse",
  }),
  targetWarehouse: one(warehouses, {
    fields: [stockDocuments.targetWarehouseId],
    references: [warehouses.id],
    relationName: "document_target_warehouse",
  }),
  lines: many(stockDocumentLines),
  repairOrderParts: many(repairOrderParts),
}));

export const stockDocumentLinesRelations = relations(stockDocumentLines, ({ one }) => ({
  document: one(stockDocuments, {
    fields: [stockDocumentLines.documentId],
    references: [stockDocuments.id],
  }),
  part: one(spareParts, { fields: [stockDocumentLines.partId], references: [spareParts.id] }),
}));

export const sparePartMovementsRelations = relations(sparePartMovements, ({ one }) => ({
  warehouse: one(warehouses, {
    fields: [sparePartMovements.warehouseId],
    references: [warehouses.id],
  }),
  part: one(spareParts, { fields: [sparePartMovements.partId], references: [spareParts.id] }),
}));

export const repairOrdersRelations = relations(repairOrders, ({ one, many }) => ({
  asset: one(assets, { fields: [repairOrders.assetId], references: [assets.id] }),
  ci: one(cmdbCis, { fields: [repairOrders.ciId], references: [cmdbCis.id] }),
  vendor: one(vendors, { fields: [repairOrders.vendorId], references: [vendors.id] }),
  parts: many(repairOrderParts),
}));

export const repairOrderPartsRelations = relations(repairOrderParts, ({ one }) => ({
  repairOrder: one(repairOrders, {
    fields: [repairOrderParts.repairOrderId],
    references: [repairOrders.id],
  }),
  part: one(spareParts, { fields: [repairOrderParts.partId], references: [spareParts.id] }),
  warehouse: one(warehouses, {
    fields: [repairOrderParts.warehouseId],
    references: [warehouses.id],
  }),
  stockDocument: one(stockDocuments, {
    fields: [repairOrderParts.stockDocumentId],
    references: [stockDocuments.id],
  }),
}));
