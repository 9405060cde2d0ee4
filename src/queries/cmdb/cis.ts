/**
 * Configuration items with attribute values validated against their type's active version.
 * Values are stored one row per key in cmdb_ci_attr_values, each stamped with the version that
 * validated it.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { NoActiveTypeVersionError } from "../../errors/domain.js";
import { NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import type { Json, JsonObject } from "../../schema/_helpers.js";
import type { CmdbCi } from "../../schema/cmdb/index.js";
import { cmdbCiAttrValues, cmdbCis, cmdbCiTypes } from "../../schema/cmdb/tables.js";
import { createCiInput, updateCiInput } from "../../validation/cmdb/schemas.js";
import { activeAttrDefs, parseFields } from "../../validation/index.js";
import { idInput } from "../../validation/refinements.js";
import { one } from "../shared/rows.js";

export type CreateCiInput = z.input<typeof createCiInput>;

export type UpdateCiInput = z.input<typeof updateCiInput>;

export interface CiWithAttributes extends CmdbCi {
  attributes: JsonObject;
  /** Version the attributes were validated against (null when the type has no active version). */
  versionId: string | null;
}

/**
 * The attribute check of a CI type (its active version read once): normalised values and the
 * version id, or ValidationError (paths `attributes.<key>`) / NoActiveTypeVersionError. createCi
 * uses it per CI, the bulk import (src/import/cis.ts) once per type for all its rows.
 */
export async function ciAttributesValidator(
  tx: DbOrTx,
  typeId: string,
): Promise<(attributes: JsonObject) => { values: JsonObject; versionId: string | null }> {
  const active = await activeAttrDefs(tx, typeId);
  if (!active) {
    return (attributes) => {
      if (Object.keys(attributes).length > 0) throw new NoActiveTypeVersionError(typeId);
      return { values: {}, versionId: null };
    };
  }
  return (attributes) => ({
    values: parseFields(active.defs, attributes, "attributes"),
    versionId: active.versionId,
  });
}

/** Validate attributes against the type's active version: normalised values and the version id. */
async function validateAttributes(
  tx: DbOrTx,
  typeId: string,
  attributes: JsonObject,
): Promise<{ values: JsonObject; versionId: string | null }> {
  return (await ciAttributesValidator(tx, typeId))(attributes);
}

/** Write the values (upsert per key, stamped with the version) and delete `removed` keys. */
async function writeAttributes(
  tx: DbOrTx,
  ciId: string,
  versionId: string | null,
  values: JsonObject,
  removed: string[] = [],
): Promise<void> {
  const present = Object.entries(values).filter(([, v]) => v !== null && v !== undefined);
  if (present.length > 0 && versionId) {
    await tx
      .insert(cmdbCiAttrValues)
      .values(present.map(([key, value]) => ({ ciId, versionId, key, value })))
      .onConflictDoUpdate({
        target: [cmdbCiAttrValues.ciId, cmdbCiAttrValues.key],
        set: { value: sql`excluded.value`, versionId: sql`excluded.version_id` },
      });
  }
  const cleared = [
    ...removed,
    ...Object.entries(values)
      .filter(([, v]) => v === null)
      .map(([k]) => k),
  ];
  if (cleared.length > 0) {
    await tx
      .delete(cmdbCiAttrValues)
      .where(and(eq(cmdbCiAttrValues.ciId, ciId), inArray(cmdbCiAttrValues.key, cleared)));
  }
}

async function storedAttributes(
  tx: DbOrTx,
  ciId: string,
): Promise<Map<string, { value: Json; versionId: string | null }>> {
  const stored = await tx.select().from(cmdbCiAttrValues).where(eq(cmdbCiAttrValues.ciId, ciId));
  return new Map(stored.map((r) => [r.key, { value: r.value ?? null, versionId: r.versionId }]));
}

async function withAttributes(tx: DbOrTx, ci: CmdbCi): Promise<CiWithAttributes> {
  const stored = await storedAttributes(tx, ci.id);
  const attributes: JsonObject = {};
  let versionId: string | null = null;
  for (const [key, { value, versionId: v }] of [...stored].sort(([a], [b]) => (a < b ? -1 : 1))) {
    attributes[key] = value;
    versionId ??= v;
  }
  return { ...ci, attributes, versionId };
}

/** Create a CI; its attributes are validated against the active version of its type. */
export async function createCi(db: DbOrTx, input: CreateCiInput): Promise<CiWithAttributes> {
  const { attributes = {}, ...fields } = parseInput(createCiInput, input);
  return withDbErrors("createCi", () =>
    db.transaction(async (tx) => {
      const [type] = await tx
        .select({ id: cmdbCiTypes.id })
        .from(cmdbCiTypes)
        .where(eq(cmdbCiTypes.id, fields.typeId));
      if (!type) throw new NotFoundError("CI type", fields.typeId);
      const { values, versionId } = await validateAttributes(tx, fields.typeId, attributes);
      const ci = one(await tx.insert(cmdbCis).values(fields).returning());
      await writeAttributes(tx, ci.id, versionId, values);
      const result = await withAttributes(tx, ci);
      return { ...result, versionId };
    }),
  );
}

/**
 * Update a CI's columns and/or attributes. The stored values of keys the active version still
 * defines are merged with the given ones and the whole set is validated again (so a change cannot
 * leave a required key missing); all of them are then stamped with the active version. Stored keys
 * the active version no longer defines are left as they are (history of an older version).
 */
export async function updateCi(db: DbOrTx, input: UpdateCiInput): Promise<CiWithAttributes> {
  const { ciId, attributes, ...fields } = parseInput(updateCiInput, input);
  return withDbErrors("updateCi", () =>
    db.transaction(async (tx) => {
      const [ci] = await tx.select().from(cmdbCis).where(eq(cmdbCis.id, ciId)).for("update");
      if (!ci) throw new NotFoundError("CI", ciId);
      let updated = ci;
      if (Object.keys(fields).length > 0) {
        updated = one(await tx.update(cmdbCis).set(fields).where(eq(cmdbCis.id, ciId)).returning());
      }
      let versionId: string | null = null;
      if (attributes) {
        if (!ci.typeId) throw new NoActiveTypeVersionError("(none)");
        const active = await activeAttrDefs(tx, ci.typeId);
        if (!active) throw new NoActiveTypeVersionError(ci.typeId);
        const defined = new Set(active.defs.filter((d) => d.isActive !== false).map((d) => d.key));
        const merged: JsonObject = {};
        for (const [key, { value }] of await storedAttributes(tx, ciId))
          if (defined.has(key)) merged[key] = value;
        const removed: string[] = [];
        for (const [key, value] of Object.entries(attributes)) {
          if (value === null) {
            delete merged[key];
            removed.push(key);
          } else merged[key] = value;
        }
        const values = parseFields(active.defs, merged, "attributes");
        await writeAttributes(tx, ciId, active.versionId, values, removed);
        versionId = active.versionId;
      }
      const result = await withAttributes(tx, updated);
      return versionId ? { ...result, versionId } : result;
    }),
  );
}

const ciIdInput = idInput("ciId");

/** A CI with its attribute values. */
export async function getCi(db: DbOrTx, input: { ciId: string }): Promise<CiWithAttributes> {
  return withDbErrors("getCi", async () => {
    const { ciId } = parseInput(ciIdInput, input);
    const [ci] = await db.select().from(cmdbCis).where(eq(cmdbCis.id, ciId));
    if (!ci) throw new NotFoundError("CI", ciId);
    return withAttributes(db, ci);
  });
}
