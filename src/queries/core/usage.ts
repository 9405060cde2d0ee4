/**
 * Usage telemetry: one usage_logs row per model call, rolled up in the same transaction into the
 * daily user_token_stats row with an upsert that adds (ON CONFLICT on its composite primary key),
 * so concurrent writers never lose an increment.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { OutOfRangeError, parseInput, toDbError, ValidationError, withDbErrors } from "../../errors.js";
import { type UsageLog, type UserTokenStat, usageLogs, userTokenStats } from "../../schema/core/index.js";
import { MODEL_TIER_MAX, MODEL_TIER_MIN } from "../../schema/core/tables.js";
import { decimal, INT32_MAX, intRange, nonNegativeInt, trimmed } from "../../validation/refinements.js";

const recordInput = z
  .strictObject({
    userId: trimmed(255),
    modelId: trimmed(100),
    /** Provider of the model (part of the stats key; usage_logs has no provider column). */
    provider: trimmed(100),
    tier: intRange(MODEL_TIER_MIN, MODEL_TIER_MAX),
    promptTokens: nonNegativeInt().default(0),
    completionTokens: nonNegativeInt().default(0),
    totalCost: decimal({ precision: 10, scale: 6 }).default("0"),
    qualityScore: decimal({ precision: 3, scale: 2 }).optional(),
    escalated: z.boolean().default(false),
    /** True for the first message of a conversation: counts it in conversation_count. */
    newConversation: z.boolean().default(false),
  })
  .refine((u) => u.promptTokens + u.completionTokens <= INT32_MAX, {
    // usage_logs.total_tokens is their sum, an integer column.
    path: ["completionTokens"],
    message: `promptTokens + completionTokens must be at most ${INT32_MAX}`,
  });
export type RecordUsageInput = z.input<typeof recordInput>;

export async function recordUsage(
  db: DbOrTx,
  input: RecordUsageInput,
): Promise<{ log: UsageLog; stats: UserTokenStat }> {
  const q = parseInput(recordInput, input);
  const totalTokens = q.promptTokens + q.completionTokens;
  return withDbErrors("recordUsage", () =>
    db.transaction(async (tx) => {
      const [log] = await tx
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
        .returning();
      const usage = log as UsageLog;
      const [stats] = await tx
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
          target: [userTokenStats.userId, userTokenStats.date, userTokenStats.model, userTokenStats.provider],
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
        });
      return { log: usage, stats: stats as UserTokenStat };
    }),
  );
}
