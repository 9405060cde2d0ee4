export { assetImport, importAssets } from "./assets.js";
export {
  ImportFormatError,
  type ImportOptions,
  type ImportReject,
  type ImportResult,
  type ImportSpec,
  type ReferenceSpec,
  runImport,
} from "./engine.js";
export { importSpareParts, sparePartImport } from "./spare-parts.js";
