/**
 * Relationships between CIs, honouring the relationship type's allowed_from/allowed_to CI types.
 *
 * Direction: a relationship from A to B reads "A <code> B" (A depends_on B, A runs_on B, ...).
 * Impact analysis treats every active relationship from -> to as "from depends on to".
 */
import { and, eq, or } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import {
  DuplicateRelationshipError,
  RelationshipNotAllowedError,
  SelfRelationshipError,
} from "../../errors/domain.js";
import { NotFoundError, parseInput, UniqueViolationError, withDbErrors } from "../../errors/index.js";
import { advisoryXactLock, cmdbRelationshipLock } from "../../locks.js";
import type { CmdbRelationship } from "../../schema/cmdb/index.js";
import { cmdbCis, cmdbRelationships, cmdbRelationshipTypes } from "../../schema/cmdb/tables.js";
import { relateCisInput } from "../../validation/cmdb/schemas.js";
import { idInput } from "../../validation/refinements.js";
import { one, takeFirst } from "../shared/rows.js";

export type RelateCisInput = z.input<typeof relateCisInput>;

/**
 * Relate two CIs. Refusals: SelfRelationshipError, NotFoundError (type or CI),
 * RelationshipNotAllowedError (a CI type the relationship type does not allow at that end),
 * DuplicateRelationshipError (already active). A retired identical relationship is reactivated.
 */
export async function relateCis(db: DbOrTx, input: RelateCisInput): Promise<CmdbRelationship> {
  const r = parseInput(relateCisInput, input);
  if (r.fromCiId === r.toCiId) throw new SelfRelationshipError(r.fromCiId);
  try {
    return await withDbErrors("relateCis", () =>
      db.transaction(async (tx) => {
        const [relType] = await tx
          .select()
          .from(cmdbRelationshipTypes)
          .where(
            r.relTypeId
              ? eq(cmdbRelationshipTypes.id, r.relTypeId)
              : eq(cmdbRelationshipTypes.code, r.relTypeCode!),
          );
        if (!relType) throw new NotFoundError("relationship type", r.relTypeId ?? r.relTypeCode!);
        const cis = await tx
          .select({ id: cmdbCis.id, typeId: cmdbCis.typeId })
          .from(cmdbCis)
          .where(or(eq(cmdbCis.id, r.fromCiId), eq(cmdbCis.id, r.toCiId)));
        const from = cis.find((c) => c.id === r.fromCiId);
        const to = cis.find((c) => c.id === r.toCiId);
        if (!from) throw new NotFoundError("CI", r.fromCiId);
        if (!to) throw new NotFoundError("CI", r.toCiId);
        if (relType.allowedFromTypeId && relType.allowedFromTypeId !== from.typeId) {
          throw new RelationshipNotAllowedError(relType.code, "from", relType.allowedFromTypeId, from.typeId);
        }
        if (relType.allowedToTypeId && relType.allowedToTypeId !== to.typeId) {
          throw new RelationshipNotAllowedError(relType.code, "to", relType.allowedToTypeId, to.typeId);
        }
        // Checked here, not only by the UNIQUE constraint of the integrity migration: the advisory
        // lock on (type, from, to) makes two concurrent relateCis of the same triple take turns, so
        // the second sees the first even on a database without that constraint.
        await advisoryXactLock(tx, cmdbRelationshipLock(relType.id, r.fromCiId, r.toCiId));
        const [existing] = await tx
          .select()
          .from(cmdbRelationships)
          .where(
            and(
              eq(cmdbRelationships.relTypeId, relType.id),
              eq(cmdbRelationships.fromCiId, r.fromCiId),
              eq(cmdbRelationships.toCiId, r.toCiId),
            ),
          )
          .for("update");
        if (existing && existing.status !== "retired") {
          throw new DuplicateRelationshipError(relType.code, r.fromCiId, r.toCiId);
        }
        if (existing) {
          const revived = one(
            await tx
              .update(cmdbRelationships)
              .set({
                status: "active",
                sinceDate: r.sinceDate ?? existing.sinceDate,
                note: r.note ?? existing.note,
              })
              .where(eq(cmdbRelationships.id, existing.id))
              .returning(),
          );
          return revived;
        }
        const created = one(
          await tx
            .insert(cmdbRelationships)
            .values({
              relTypeId: relType.id,
              fromCiId: r.fromCiId,
              toCiId: r.toCiId,
              status: "active",
              sinceDate: r.sinceDate ?? null,
              note: r.note ?? null,
            })
            .returning(),
        );
        return created;
      }),
    );
  } catch (typed) {
    if (typed instanceof UniqueViolationError && typed.table === "cmdb_relationships") {
      throw new DuplicateRelationshipError(r.relTypeCode ?? r.relTypeId ?? "?", r.fromCiId, r.toCiId);
    }
    throw typed;
  }
}

const relationshipIdInput = idInput("relationshipId");

/** Retire a relationship (kept for history, ignored by impact analysis). */
export async function retireRelationship(
  db: DbOrTx,
  input: { relationshipId: string },
): Promise<CmdbRelationship> {
  return withDbErrors("retireRelationship", async () => {
    const { relationshipId } = parseInput(relationshipIdInput, input);
    const row = takeFirst(
      await db
        .update(cmdbRelationships)
        .set({ status: "retired" })
        .where(eq(cmdbRelationships.id, relationshipId))
        .returning(),
    );
    if (!row) throw new NotFoundError("relationship", relationshipId);
    return row;
  });
}
