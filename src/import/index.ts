export { assetImport, importAssets } from "./assets.js";
export { ciImport, importCis } from "./cis.js";
export {
  ImportFormatError,
  type ImportOptions,
  type ImportReject,
  type ImportResult,
  type ImportSpec,
  type ReferenceSpec,
  type RowCheck,
  type RowIssue,
  runImport,
} from "./engine.js";
export { importRelationships, relationshipImport } from "./relationships.js";
export { importSpareParts, sparePartImport } from "./spare-parts.js";
export { type ImportStockOptions, importStock, stockImport } from "./stock.js";
