/**
 * The scale data set as an ordered list of table streams (parents before children), computed from
 * (factor, seed, reference ids) alone (and the one password hash every user shares). load.ts copies them; tests read them without a database.
 */
import * as activity from "./activity.js";
import * as assets from "./assets.js";
import * as cmdb from "./cmdb.js";
import { type ReferenceIds, type ScaleContext, scaleContext, type TableStream } from "./context.js";
import * as warehouse from "./warehouse.js";

export interface ScalePlan {
  context: ScaleContext;
  tables: TableStream[];
}

export function scalePlan(factor: number, seed: number, ref: ReferenceIds, passwordHash: string): ScalePlan {
  const ctx = scaleContext(factor, seed, ref, passwordHash);
  const tree = assets.locationTree(ctx);
  const layout = cmdb.ciLayout(ctx);
  let linked: cmdb.CiAssets | undefined;
  // The scan for CI-backing assets runs once, when the CI tables are reached.
  const ciAssets = () => {
    linked ??= cmdb.ciAssets(ctx, layout);
    return linked;
  };
  return {
    context: ctx,
    tables: [
      activity.userStream(ctx),
      assets.locationStream(ctx, tree),
      assets.vendorStream(ctx),
      assets.modelStream(ctx),
      assets.assetStream(ctx, tree),
      assets.assignmentStream(ctx, tree),
      assets.eventStream(ctx, tree),
      assets.attachmentStream(ctx, tree),
      assets.inventorySessionStream(ctx, tree),
      assets.inventoryItemStream(ctx, tree),
      cmdb.ciStream(ctx, tree, layout, ciAssets),
      cmdb.attrValueStream(ctx, tree, layout, ciAssets),
      cmdb.relationshipStream(ctx, layout),
      cmdb.serviceStream(ctx),
      cmdb.serviceMemberStream(ctx, layout),
      warehouse.warehouseStream(ctx, tree),
      warehouse.partStream(ctx),
      ...warehouse.documentStreams(ctx),
      activity.repairOrderStream(ctx, tree),
      activity.repairPartStream(ctx),
      activity.workflowRequestStream(ctx),
      activity.reminderStream(ctx, tree),
      activity.ticketStream(ctx),
      activity.opsEventStream(ctx),
      activity.attachmentStream(ctx),
      activity.sessionStream(ctx),
      activity.conversationStream(ctx),
      activity.messageStream(ctx),
      activity.chatContextStream(ctx),
      activity.usageLogStream(ctx),
      activity.tokenStatStream(ctx),
      activity.auditLogStream(ctx),
    ],
  };
}
