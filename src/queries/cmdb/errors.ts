/** Typed refusals of the CMDB operations (all extend NetOpsError). */
import { NetOpsError } from "../../errors.js";

/** Attribute values given for a CI whose type has no active version to validate them against. */
export class NoActiveTypeVersionError extends NetOpsError {
  override name = "NoActiveTypeVersionError";
  constructor(readonly typeId: string) {
    super(
      "NO_ACTIVE_TYPE_VERSION",
      `CI type ${typeId} has no active version; attributes cannot be validated`,
    );
  }
}

/** A relationship from a CI to itself. */
export class SelfRelationshipError extends NetOpsError {
  override name = "SelfRelationshipError";
  constructor(readonly ciId: string) {
    super("SELF_RELATIONSHIP", `CI ${ciId} cannot be related to itself`);
  }
}

/** The relationship type does not allow a CI of this type at that end. */
export class RelationshipNotAllowedError extends NetOpsError {
  override name = "RelationshipNotAllowedError";
  constructor(
    readonly relTypeCode: string,
    readonly end: "from" | "to",
    readonly allowedTypeId: string,
    readonly actualTypeId: string | null,
  ) {
    super(
      "RELATIONSHIP_NOT_ALLOWED",
      `relationship type ${relTypeCode} allows CI type ${allowedTypeId} at its ${end} end, not ${actualTypeId ?? "untyped"}`,
    );
  }
}

/** The same (type, from, to) relationship already exists and is active. */
export class DuplicateRelationshipError extends NetOpsError {
  override name = "DuplicateRelationshipError";
  constructor(
    readonly relTypeCode: string,
    readonly fromCiId: string,
    readonly toCiId: string,
  ) {
    super("DUPLICATE_RELATIONSHIP", `${fromCiId} already ${relTypeCode} ${toCiId}`);
  }
}
