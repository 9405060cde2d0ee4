/**
 * Seeding: `seedReference(db)` loads the reference data (seed/reference.ts) idempotently in one
 * transaction and reports inserted/updated/unchanged rows per table; `seedDemo(db)` adds the
 * deterministic demo data set (seed/demo.ts); `seedScale(handle, { factor })` the production-shaped one
 * (seed/scale/). `npm run db:seed [-- --demo [--force] [--seed N] | --scale <factor>]`.
 */
export { DemoRefusedError, ScaleLoadError, ScaleRefusedError } from "../src/errors/operational.js";
export { DEMO_SEED, type DemoOptions, type DemoReport, seedDemo } from "./demo.js";
export { type SeedReferenceOptions, seedReference } from "./load-reference.js";
export { type ReferenceData, referenceData } from "./reference.js";
export {
  SCALE_SEED,
  type ScaleOptions,
  type ScaleReport,
  seedScale,
} from "./scale/load.js";
export { formatReport, type SeedReport, type TableCounts } from "./upsert.js";
