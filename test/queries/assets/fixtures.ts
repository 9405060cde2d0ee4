/** Small builders for the assets-side query tests (each makes unique rows). */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../src/db.js";
import {
  type AssetStatus,
  createAsset,
  createAssetModel,
  createLocation,
} from "../../../src/queries/assets/index.js";
import {
  type Asset,
  assetCategories,
  assetCategorySpecDefs,
  assetCategorySpecVersions,
  assets,
} from "../../../src/schema/index.js";

export const uniq = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A category with an active spec version: port_count (number 1..96, required), poe (boolean). */
export async function categoryWithSpec(db: DbOrTx) {
  const [category] = await db
    .insert(assetCategories)
    .values({ name: uniq("switches") })
    .returning();
  const [version] = await db
    .insert(assetCategorySpecVersions)
    .values({ categoryId: category!.id, version: 1, status: "active" })
    .returning();
  await db.insert(assetCategorySpecDefs).values([
    {
      versionId: version!.id,
      key: "port_count",
      label: "Ports",
      fieldType: "number",
      required: true,
      minValue: "1",
      maxValue: "96",
    },
    { versionId: version!.id, key: "poe", label: "PoE", fieldType: "boolean" },
  ]);
  return { category: category!, version: version! };
}

export async function modelOf(db: DbOrTx, categoryId: string | null = null) {
  return createAssetModel(db, {
    model: uniq("model"),
    categoryId,
    spec: categoryId ? { port_count: 24 } : {},
  });
}

export async function newAsset(
  db: DbOrTx,
  values: Partial<Parameters<typeof createAsset>[1]> = {},
): Promise<Asset> {
  return createAsset(db, { assetCode: uniq("A"), ...values });
}

/** Put an asset in a status directly (test set-up only; real code goes through the lifecycle). */
export async function forceStatus(db: DbOrTx, assetId: string, status: AssetStatus): Promise<void> {
  await db.update(assets).set({ status }).where(eq(assets.id, assetId));
}

/** /root/ -> /root/a/ -> /root/a/b/, and /root/c/. */
export async function locationTree(db: DbOrTx) {
  const root = await createLocation(db, { name: uniq("root") });
  const a = await createLocation(db, { name: "a", parentId: root.id });
  const b = await createLocation(db, { name: "b", parentId: a.id });
  const c = await createLocation(db, { name: "c", parentId: root.id });
  return { root, a, b, c };
}
