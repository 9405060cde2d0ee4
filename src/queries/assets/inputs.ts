/** Shared input pieces of the assets operations (validated with parseInput before any query). */
import { z } from "zod";
import { jsonObject, trimmed } from "../../validation/refinements.js";

export const uuid = () => z.uuid("must be a UUID");
/** Who did it and which request it belongs to, carried into asset_events. */
export const actorFields = {
  actorUserId: trimmed(255).optional(),
  correlationId: trimmed(100).optional(),
};
export const eventPayload = () => jsonObject().optional();
