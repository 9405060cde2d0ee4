/** Warehouse operations: stock documents, the movement ledger, reservations, reports, repair orders. */
export * from "./documents.js";
export {
  applyMovements,
  MOVEMENT_EFFECT,
  type MovementInput,
  type MovementMeta,
  type MovementType,
  REVERSE_MOVEMENT,
  type StockLevel,
} from "./ledger.js";
export * from "./repair-orders.js";
export * from "./stock.js";
