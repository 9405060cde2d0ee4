/** Typed refusals shared by the state machines of the query layer. */
import { InvalidStateError } from "../../errors.js";

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
}
