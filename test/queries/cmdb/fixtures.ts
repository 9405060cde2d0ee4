/** Factories for the CMDB tests: CI types with an active version, relationship types, CIs. */
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "../../../src/db.js";
import {
  cmdbCis,
  cmdbCiTypeAttrDefs,
  cmdbCiTypes,
  cmdbCiTypeVersions,
  cmdbRelationshipTypes,
} from "../../../src/schema/cmdb/tables.js";

export const tag = () => randomUUID().slice(0, 8);

type AttrDef = typeof cmdbCiTypeAttrDefs.$inferInsert;

/** A CI type; with `defs`, also an active version 1 holding them. */
export async function makeCiType(
  db: DbOrTx,
  defs?: Omit<AttrDef, "versionId">[],
): Promise<{ typeId: string; versionId: string | null }> {
  const code = `type_${tag()}`;
  const [type] = await db.insert(cmdbCiTypes).values({ code, name: code }).returning();
  if (!defs) return { typeId: type!.id, versionId: null };
  const versionId = await addVersion(db, type!.id, 1, defs);
  return { typeId: type!.id, versionId };
}

export async function addVersion(
  db: DbOrTx,
  typeId: string,
  version: number,
  defs: Omit<AttrDef, "versionId">[],
  status: "draft" | "active" | "retired" = "active",
): Promise<string> {
  const [v] = await db.insert(cmdbCiTypeVersions).values({ typeId, version, status }).returning();
  if (defs.length > 0)
    await db.insert(cmdbCiTypeAttrDefs).values(defs.map((d) => ({ ...d, versionId: v!.id })));
  return v!.id;
}

export async function makeRelType(
  db: DbOrTx,
  allowed: { from?: string; to?: string } = {},
  code = `rel_${tag()}`,
): Promise<{ id: string; code: string }> {
  const [row] = await db
    .insert(cmdbRelationshipTypes)
    .values({
      code,
      name: code,
      allowedFromTypeId: allowed.from ?? null,
      allowedToTypeId: allowed.to ?? null,
    })
    .returning();
  return { id: row!.id, code };
}

/** A bare CI row (no attribute validation): for graph tests. */
export async function makeCi(db: DbOrTx, typeId: string, code = `CI-${tag()}`): Promise<string> {
  const [row] = await db.insert(cmdbCis).values({ typeId, name: code, ciCode: code }).returning();
  return row!.id;
}
