/**
 * Refusals of the domain operations (src/queries): all on NetOpsError, so callers branch on `code`.
 * Ids in messages are the ones the caller passed or the database generated, never input values.
 */
import { NetOpsError } from "./base.js";

/** A row looked up by id (or natural key) does not exist. */
export class NotFoundError extends NetOpsError {
  override name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super("NOT_FOUND", `${entity} ${id} not found`);
  }

  protected override details(): Record<string, unknown> {
    return { entity: this.entity, id: this.id };
  }
}

/** An operation not allowed in the current state (posting a posted document, closing a closed order...). */
export class InvalidStateError extends NetOpsError {
  override name = "InvalidStateError";
  constructor(message: string) {
    super("INVALID_STATE", message);
  }
}

/** A transition that the entity's declared transition table does not allow (or whose guard fails). */
export class IllegalTransitionError extends InvalidStateError {
  override name = "IllegalTransitionError";
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly from: string | null,
    readonly to: string,
    reason?: string,
  ) {
    super(`${entity} ${id}: cannot go from ${from ?? "(none)"} to ${to}${reason ? `: ${reason}` : ""}`);
  }

  protected override details(): Record<string, unknown> {
    return { entity: this.entity, id: this.id, from: this.from, to: this.to };
  }
}

/** A repair order that is closed or canceled. */
export class RepairOrderClosedError extends InvalidStateError {
  override name = "RepairOrderClosedError";
  constructor(
    readonly repairOrderId: string,
    readonly status: string,
  ) {
    super(`repair order ${repairOrderId} is ${status}`);
  }

  protected override details(): Record<string, unknown> {
    return { repairOrderId: this.repairOrderId, status: this.status };
  }
}

// CMDB ------------------------------------------------------------------------------------------

/** Attribute values given for a CI whose type has no active version to validate them against. */
export class NoActiveTypeVersionError extends NetOpsError {
  override name = "NoActiveTypeVersionError";
  constructor(readonly typeId: string) {
    super(
      "NO_ACTIVE_TYPE_VERSION",
      `CI type ${typeId} has no active version; attributes cannot be validated`,
      { field: "attributes" },
    );
  }

  protected override details(): Record<string, unknown> {
    return { typeId: this.typeId };
  }
}

/** A relationship from a CI to itself. */
export class SelfRelationshipError extends NetOpsError {
  override name = "SelfRelationshipError";
  constructor(readonly ciId: string) {
    super("SELF_RELATIONSHIP", `CI ${ciId} cannot be related to itself`, { field: "toCiId" });
  }

  protected override details(): Record<string, unknown> {
    return { ciId: this.ciId };
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
      { field: end === "from" ? "fromCiId" : "toCiId" },
    );
  }

  protected override details(): Record<string, unknown> {
    return {
      relTypeCode: this.relTypeCode,
      end: this.end,
      allowedTypeId: this.allowedTypeId,
      actualTypeId: this.actualTypeId,
    };
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

  protected override details(): Record<string, unknown> {
    return { relTypeCode: this.relTypeCode, fromCiId: this.fromCiId, toCiId: this.toCiId };
  }
}

// Warehouse -------------------------------------------------------------------------------------

/** A decrease (issue, adjust minus, transfer out, reserve, cancel of a receipt) larger than the free stock. */
export class InsufficientStockError extends NetOpsError {
  override name = "InsufficientStockError";
  constructor(
    readonly warehouseId: string,
    readonly partId: string,
    readonly requested: number,
    /** Free stock at the time of the check: on_hand - reserved. */
    readonly available: number,
  ) {
    super(
      "INSUFFICIENT_STOCK",
      `insufficient stock of part ${partId} in warehouse ${warehouseId}: requested ${requested}, available ${available}`,
    );
  }

  protected override details(): Record<string, unknown> {
    return {
      warehouseId: this.warehouseId,
      partId: this.partId,
      requested: this.requested,
      available: this.available,
    };
  }
}

/** Editing or posting a document that is no longer a draft. */
export class DocumentNotDraftError extends NetOpsError {
  override name = "DocumentNotDraftError";
  constructor(
    readonly documentId: string,
    readonly status: string,
  ) {
    super("DOCUMENT_NOT_DRAFT", `stock document ${documentId} is ${status}, not draft`);
  }

  protected override details(): Record<string, unknown> {
    return { documentId: this.documentId, status: this.status };
  }
}

/** Canceling a document that is already canceled. */
export class DocumentAlreadyCanceledError extends NetOpsError {
  override name = "DocumentAlreadyCanceledError";
  constructor(readonly documentId: string) {
    super("DOCUMENT_ALREADY_CANCELED", `stock document ${documentId} is already canceled`);
  }

  protected override details(): Record<string, unknown> {
    return { documentId: this.documentId };
  }
}

/** Releasing more than is reserved. */
export class ReleaseExceedsReservedError extends NetOpsError {
  override name = "ReleaseExceedsReservedError";
  constructor(
    readonly warehouseId: string,
    readonly partId: string,
    readonly requested: number,
    readonly reserved: number,
  ) {
    super(
      "RELEASE_EXCEEDS_RESERVED",
      `cannot release ${requested} of part ${partId} in warehouse ${warehouseId}: ${reserved} reserved`,
    );
  }

  protected override details(): Record<string, unknown> {
    return {
      warehouseId: this.warehouseId,
      partId: this.partId,
      requested: this.requested,
      reserved: this.reserved,
    };
  }
}
