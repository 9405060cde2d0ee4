/**
 * Core: users and sessions, conversations and messages, AI model/provider configuration,
 * orchestration rules, usage and audit telemetry (seed 001, "Core Tables"), plus chat_contexts.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { constraintsOf, createdAt, id, type Json, jsonObject, timestamptz, updatedAt } from "../_helpers.js";

export const USER_ROLES = ["user", "admin", "super_admin"] as const;
export const MESSAGE_ROLES = ["user", "assistant", "system", "tool"] as const;
/** model_configs.tier: 0..3 (spec: `CHECK (0-3)`). */
export const MODEL_TIER_MIN = 0;
export const MODEL_TIER_MAX = 3;

const usersC = constraintsOf("users");
export const users = pgTable(
  "users",
  {
    id: id(),
    email: varchar("email", { length: 255 }).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    username: varchar("username", { length: 255 }),
    passwordHash: varchar("password_hash", { length: 255 }).notNull(),
    role: varchar("role", { length: 50, enum: USER_ROLES }).default("user"),
    isActive: boolean("is_active").default(true),
    tier: varchar("tier", { length: 50 }).default("free"),
    status: varchar("status", { length: 20 }).default("active"),
    lastLoginAt: timestamptz("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    usersC.unique(t.email),
    usersC.unique(t.username),
    usersC.oneOf(t.role, USER_ROLES),
    // Documented even though the unique constraint already indexes email (kept for fidelity).
    index("idx_users_email").on(t.email),
  ],
);

const sessionsC = constraintsOf("sessions");
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    // Documented without ON DELETE: NO ACTION, so a user with sessions must be cleaned up first.
    userId: uuid("user_id"),
    token: varchar("token", { length: 500 }).notNull(),
    refreshToken: varchar("refresh_token", { length: 500 }).notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    refreshExpiresAt: timestamptz("refresh_expires_at").notNull(),
    ipAddress: varchar("ip_address", { length: 45 }),
    userAgent: text("user_agent"),
    isRevoked: boolean("is_revoked").default(false),
    lastActivityAt: timestamptz("last_activity_at"),
    createdAt: createdAt(),
  },
  (t) => [
    sessionsC.fk(t.userId, users.id),
    sessionsC.unique(t.token),
    sessionsC.unique(t.refreshToken),
    index("idx_sessions_token").on(t.token),
    index("idx_sessions_user_id").on(t.userId),
  ],
);

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    // VARCHAR, not a foreign key, in the spec: conversations may belong to external identities.
    userId: varchar("user_id", { length: 255 }).notNull(),
    title: varchar("title", { length: 255 }).notNull(),
    model: varchar("model", { length: 255 }).default("openai/gpt-4o-mini"),
    status: varchar("status", { length: 20 }).default("active"),
    messageCount: integer("message_count").default(0),
    metadata: jsonObject("metadata"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("idx_conversations_user_id").on(t.userId)],
);

const messagesC = constraintsOf("messages");
export const messages = pgTable(
  "messages",
  {
    id: id(),
    conversationId: uuid("conversation_id"),
    role: varchar("role", { length: 20, enum: MESSAGE_ROLES }).notNull(),
    content: text("content").notNull(),
    model: varchar("model", { length: 255 }),
    provider: varchar("provider", { length: 50 }),
    promptTokens: integer("prompt_tokens").default(0),
    completionTokens: integer("completion_tokens").default(0),
    cost: numeric("cost", { precision: 12, scale: 4 }),
    latencyMs: integer("latency_ms"),
    metadata: jsonObject("metadata"),
    toolCalls: jsonb("tool_calls").$type<Json>(),
    toolCallId: varchar("tool_call_id", { length: 255 }),
    tokenCount: integer("token_count").default(0),
    createdAt: createdAt(),
  },
  (t) => [
    messagesC.fk(t.conversationId, conversations.id, "cascade"),
    messagesC.oneOf(t.role, MESSAGE_ROLES),
    index("idx_messages_conversation_id").on(t.conversationId, t.createdAt),
  ],
);

const modelConfigsC = constraintsOf("model_configs");
export const modelConfigs = pgTable(
  "model_configs",
  {
    id: varchar("id", { length: 100 }).primaryKey(), // e.g. 'openai/gpt-4o'
    provider: varchar("provider", { length: 50 }).notNull(),
    tier: integer("tier").notNull(),
    contextWindow: integer("context_window"),
    maxTokens: integer("max_tokens"),
    costPer1kInput: numeric("cost_per_1k_input", { precision: 10, scale: 6 }),
    costPer1kOutput: numeric("cost_per_1k_output", { precision: 10, scale: 6 }),
    capabilities: jsonObject("capabilities"),
    enabled: boolean("enabled").default(true),
    supportsStreaming: boolean("supports_streaming").default(false),
    supportsFunctions: boolean("supports_functions").default(false),
    supportsVision: boolean("supports_vision").default(false),
    description: text("description"),
    priority: integer("priority").default(100),
    status: varchar("status", { length: 20 }).default("active"),
    displayName: varchar("display_name", { length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    modelConfigsC.check(
      t.tier,
      sql`${t.tier} >= ${sql.raw(String(MODEL_TIER_MIN))} AND ${t.tier} <= ${sql.raw(String(MODEL_TIER_MAX))}`,
    ),
  ],
);

export const aiProviders = pgTable("ai_providers", {
  id: varchar("id", { length: 100 }).primaryKey(),
  name: varchar("name", { length: 255 }).notNull(),
  description: text("description"),
  apiEndpoint: text("api_endpoint"),
  authType: varchar("auth_type", { length: 50 }),
  apiKey: text("api_key"), // encrypted by the application before it is stored
  capabilities: jsonObject("capabilities"),
  status: varchar("status", { length: 20 }).default("active"),
  rateLimitPerMinute: integer("rate_limit_per_minute"),
  creditsRemaining: numeric("credits_remaining", { precision: 12, scale: 4 }),
  // mode "number": token counts stay far below 2^53.
  tokensUsed: bigint("tokens_used", { mode: "number" }),
  lastUsageAt: timestamptz("last_usage_at"),
  metadata: jsonObject("metadata"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const orchestrationRules = pgTable("orchestration_rules", {
  id: id(),
  name: varchar("name", { length: 255 }).notNull(),
  description: text("description"),
  strategy: varchar("strategy", { length: 50 }).notNull(),
  modelSequence: jsonb("model_sequence").$type<Json>().notNull(),
  conditions: jsonObject("conditions"),
  enabled: boolean("enabled").default(true),
  priority: integer("priority").default(100),
  metadata: jsonObject("metadata"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const usageLogs = pgTable("usage_logs", {
  id: id(),
  userId: varchar("user_id", { length: 255 }).notNull(),
  modelId: varchar("model_id", { length: 100 }), // not a foreign key in the spec: logs outlive configs
  tier: integer("tier").notNull(),
  promptTokens: integer("prompt_tokens"),
  completionTokens: integer("completion_tokens"),
  totalTokens: integer("total_tokens"),
  totalCost: numeric("total_cost", { precision: 10, scale: 6 }),
  qualityScore: numeric("quality_score", { precision: 3, scale: 2 }),
  escalated: boolean("escalated").default(false),
  createdAt: createdAt(),
});

export const auditLogs = pgTable("audit_logs", {
  id: id(),
  correlationId: varchar("correlation_id", { length: 100 }),
  userId: varchar("user_id", { length: 255 }),
  action: varchar("action", { length: 100 }).notNull(),
  resource: varchar("resource", { length: 255 }),
  details: jsonObject("details"),
  createdAt: createdAt(),
});

/** Daily aggregates per (user, date, model, provider); primary-key columns are NOT NULL by definition. */
export const userTokenStats = pgTable(
  "user_token_stats",
  {
    userId: varchar("user_id", { length: 255 }).notNull(),
    date: date("date", { mode: "string" }).notNull(),
    model: varchar("model", { length: 150 }).notNull(),
    provider: varchar("provider", { length: 100 }).notNull(),
    totalTokens: integer("total_tokens").default(0),
    // The document's `DEFAULT 0`, stored as `0` (not '0'::numeric), as in repair_orders.
    totalCost: numeric("total_cost", { precision: 12, scale: 6 }).default(sql`0`),
    messageCount: integer("message_count").default(0),
    conversationCount: integer("conversation_count").default(0),
  },
  (t) => [primaryKey({ name: "user_token_stats_pkey", columns: [t.userId, t.date, t.model, t.provider] })],
);

const chatContextsC = constraintsOf("chat_contexts");
/**
 * chat_contexts is listed in seed 000 without columns. It is the durable copy of the
 * conversation context that seed 001 caches in Redis as `chat:context:{conv_id}` (30 min TTL):
 * one row per conversation (unique, deleted with it), the context document the model is primed
 * with, a rolling summary of the messages folded into it, its size in tokens, and the last message
 * it covers (so a rebuilt cache knows where to resume). A cache miss rebuilds from here instead of
 * replaying the whole conversation.
 */
export const chatContexts = pgTable(
  "chat_contexts",
  {
    id: id(),
    conversationId: uuid("conversation_id").notNull(),
    context: jsonObject("context").notNull(),
    summary: text("summary"),
    tokenCount: integer("token_count").notNull().default(0),
    lastMessageId: uuid("last_message_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    chatContextsC.fk(t.conversationId, conversations.id, "cascade"),
    chatContextsC.fk(t.lastMessageId, messages.id, "set null"),
    chatContextsC.unique(t.conversationId),
    chatContextsC.check(t.tokenCount, sql`${t.tokenCount} >= 0`),
    index("idx_chat_contexts_last_message_id").on(t.lastMessageId),
  ],
);
