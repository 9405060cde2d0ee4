/** Typed refusals of the warehouse operations (all extend NetOpsError, so callers branch on `code`). */
import { NetOpsError } from "../../errors.js";

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
}

/** Canceling a document that is already canceled. */
export class DocumentAlreadyCanceledError extends NetOpsError {
  override name = "DocumentAlreadyCanceledError";
  constructor(readonly documentId: string) {
    super("DOCUMENT_ALREADY_CANCELED", `stock document ${documentId} is already canceled`);
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
}
