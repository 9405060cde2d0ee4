/** Shared input pieces of the assets operations (validated with parseInput before any query). */
import { jsonObject, trimmed, uuid } from "../../validation/refinements.js";

export { uuid };
/** Who did it and which request it belongs to, carried into asset_events. */
export const actorFields = {
  actorUserId: trimmed(255).optional(),
  correlationId: trimmed(100).optional(),
};
export const eventPayload = () => jsonObject().optional();
