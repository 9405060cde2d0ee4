/**
 * Bulk import of assets (`npm run db:import -- assets <file.csv>`): the header names columns of
 * `assets`; `model_id`, `location_id` and `vendor_id` take an id or a natural key (the model's
 * name, the location's path, the vendor's name). Each inserted asset gets its `created` event, as
 * createAsset writes it, in the same statement. Natural key: `asset_code`.
 */
import type { Readable } from "node:stream";
import type { DbOrTx } from "../db.js";
import { assets } from "../schema/assets/tables.js";
import { insertAssetSchema } from "../validation/index.js";
import { type ImportOptions, type ImportResult, type ImportSpec, runImport } from "./engine.js";

export const assetImport: ImportSpec = {
  table: assets,
  schema: insertAssetSchema,
  naturalKey: "asset_code",
  excluded: ["id", "created_at", "updated_at"],
  references: {
    model_id: { table: "asset_models", key: "model", label: "asset model" },
    location_id: { table: "locations", key: "path", label: "location" },
    vendor_id: { table: "vendors", key: "name", label: "vendor" },
  },
  idColumn: "id",
  // In asset id order: the events' (asset_id, created_at) index and the foreign key's probes of
  // assets_pkey then walk their pages in order instead of at random (100,000 events into the
  // factor-1 table: 32-33 s against 51-59 s, server CPU 6.0 s against 8.6-10.1 s).
  afterInsert: (inserted) => `INSERT INTO asset_events (asset_id, event_type, payload)
    SELECT id, 'created', jsonb_build_object('assetCode', asset_code, 'status', status, 'source', 'import')
      FROM ${inserted} ORDER BY id`,
};

export function importAssets(db: DbOrTx, input: Readable, options?: ImportOptions): Promise<ImportResult> {
  return runImport(db, assetImport, input, options);
}
