/**
 * Usage telemetry: one usage_logs row per model call, rolled up in the same transaction into the
 * daily user_token_stats row with an upsert that adds (ON CONFLICT on its composite primary key),
 * so concurrent writers never lose an increment.
 */
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { OutOfRangeError, parseInput, toDbError, ValidationError, withDbErrors } from "../../errors/index.js";
import { type UsageLog, type UserTokenStat, usageLogs, userTokenStats } from "../../schema/core/index.js";
import { recordUsageInput } from "../../validation/core/schemas.js";
import { one } from "../shared/rows.js";

export type RecordUsageInput = z.input<typeof recordUsageInput>;

export async function recordUsage(
  db: DbOrTx,
  input: RecordUsageInput,
): Promise<{ log: UsageLog; stats: UserTokenStat }> {
  const q = parseInput(recordUsageInput, input);
  const totalTokens = q.promptTokens + q.completionTokens;
  return withDbErrors("recordUsage", () =>
    db.transaction(async (tx) => {
      const log = one(
        await tx
          .insert(usageLogs)
          .values({
            userId: q.userId,
            modelId: q.modelId,
            tier: q.tier,
            promptTokens: q.promptTokens,
            completionTokens: q.completionTokens,
            totalTokens,
            totalCost: q.totalCost,
            qualityScore: q.qualityScore ?? null,
            escalated: q.escalated,
          })
          .returning(),
      );
      const usage = log;
      const stats = one(
        await tx
          .insert(userTokenStats)
          .values({
            userId: q.userId,
            // The UTC day of the logged call, so the log and its roll-up agree.
            date: sql`(${usage.createdAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')::date`,
            model: q.modelId,
            provider: q.provider,
            totalTokens,
            totalCost: q.totalCost,
            messageCount: 1,
            conversationCount: q.newConversation ? 1 : 0,
          })
          .onConflictDoUpdate({
            target: [
              userTokenStats.userId,
              userTokenStats.date,
              userTokenStats.model,
              userTokenStats.provider,
            ],
            set: {
              totalTokens: sql`coalesce(${userTokenStats.totalTokens}, 0) + excluded.total_tokens`,
              totalCost: sql`coalesce(${userTokenStats.totalCost}, 0) + excluded.total_cost`,
              messageCount: sql`coalesce(${userTokenStats.messageCount}, 0) + excluded.message_count`,
              conversationCount: sql`coalesce(${userTokenStats.conversationCount}, 0) + excluded.conversation_count`,
            },
          })
          .returning()
          .catch((error: unknown) => {
            // The day's running totals are an integer and a numeric(12,6): name the input that
            // overflowed them instead of PostgreSQL's bare "out of range".
            if (toDbError(error, "recordUsage") instanceof OutOfRangeError) {
              throw new ValidationError([
                {
                  path: totalTokens > 0 ? "promptTokens" : "totalCost",
                  message: "would take the day's totals in user_token_stats beyond their column types",
                },
              ]);
            }
            throw error;
          }),
      );
      return { log: usage, stats: stats };
    }),
  );
}
