/** The ids of the reference rows (after seedReference) that the scale data set points at. */
import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "../../src/db.js";
import { activeAttrDefs, activeSpecDefs, type FieldDefinition } from "../../src/validation/dynamic.js";
import type { ReferenceIds } from "./context.js";

export async function readReferenceIds(db: DbOrTx): Promise<ReferenceIds> {
  const categories: ReferenceIds["categories"] = new Map();
  for (const c of await rows<{ id: string; name: string }>(
    db,
    sql`SELECT id, name FROM asset_categories ORDER BY name, id`,
  )) {
    if (categories.has(c.name)) continue;
    const active = await activeSpecDefs(db, c.id);
    if (active)
      categories.set(c.name, {
        id: c.id,
        specVersionId: active.versionId,
        defs: active.defs as FieldDefinition[],
      });
  }
  const ciTypes: ReferenceIds["ciTypes"] = new Map();
  for (const t of await rows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM cmdb_ci_types ORDER BY code`,
  )) {
    const active = await activeAttrDefs(db, t.id);
    if (active)
      ciTypes.set(t.code, { id: t.id, versionId: active.versionId, defs: active.defs as FieldDefinition[] });
  }
  const relTypes = new Map(
    (await rows<{ id: string; code: string }>(db, sql`SELECT id, code FROM cmdb_relationship_types`)).map(
      (r) => [r.code, r.id],
    ),
  );
  const models = (
    await rows<{ id: string; provider: string; tier: number }>(
      db,
      sql`SELECT id, provider, tier FROM model_configs ORDER BY id`,
    )
  ).map((m) => ({ ...m, tier: Number(m.tier) }));
  return { categories, ciTypes, relTypes, models };
}
