/**
 * Validation schemas of the core domain (users, sessions, conversations, AI configuration,
 * telemetry): the tables' schemas from their column rules, then every operation's input derived
 * from them (src/queries/core).
 */
import { z } from "zod";
import { MODEL_TIER_MAX, MODEL_TIER_MIN } from "../../schema/core/index.js";
import {
  aiProviders,
  auditLogs,
  chatContexts,
  conversations,
  messages,
  modelConfigs,
  orchestrationRules,
  sessions,
  usageLogs,
  users,
  userTokenStats,
} from "../../schema/core/tables.js";
import { columnFields, columnRule, tableSchemas } from "../factory.js";
import {
  code,
  decimal,
  email,
  encryptedSecret,
  INT32_MAX,
  idInput,
  intRange,
  ipHost,
  isoDate,
  json,
  jsonObject,
  nonNegativeInt,
  opt,
  passwordHash,
  positiveInt,
  req,
  TEXT_NAME_MAX,
  text,
  trimmed,
  uuid,
} from "../refinements.js";

const userRefine = {
  email: req(email),
  name: req(trimmed),
  username: opt(code),
  passwordHash: req(passwordHash),
  tier: opt(trimmed),
  status: opt(trimmed),
};
export const {
  insert: insertUserSchema,
  update: updateUserSchema,
  select: selectUserSchema,
} = tableSchemas(users, userRefine);

const sessionRefine = {
  token: req(trimmed),
  refreshToken: req(trimmed),
  ipAddress: opt(ipHost),
  userAgent: opt(trimmed(2000)),
};
export const {
  insert: insertSessionSchema,
  update: updateSessionSchema,
  select: selectSessionSchema,
} = tableSchemas(sessions, sessionRefine);

const conversationRefine = {
  userId: req(trimmed),
  title: req(trimmed),
  model: opt(trimmed),
  status: opt(trimmed),
  messageCount: opt(nonNegativeInt),
  metadata: opt(jsonObject()),
};
export const {
  insert: insertConversationSchema,
  update: updateConversationSchema,
  select: selectConversationSchema,
} = tableSchemas(conversations, conversationRefine);

const messageRefine = {
  promptTokens: opt(nonNegativeInt),
  completionTokens: opt(nonNegativeInt),
  tokenCount: opt(nonNegativeInt),
  latencyMs: opt(nonNegativeInt),
  cost: opt(decimal),
  metadata: opt(jsonObject()),
  toolCalls: opt(json),
};
export const {
  insert: insertMessageSchema,
  update: updateMessageSchema,
  select: selectMessageSchema,
} = tableSchemas(messages, messageRefine);

const modelConfigRefine = {
  id: req(code),
  provider: req(code),
  tier: req(intRange(MODEL_TIER_MIN, MODEL_TIER_MAX)),
  contextWindow: opt(positiveInt),
  maxTokens: opt(positiveInt),
  costPer1kInput: opt(decimal),
  costPer1kOutput: opt(decimal),
  capabilities: opt(jsonObject()),
  status: opt(trimmed),
  displayName: opt(trimmed),
};
export const {
  insert: insertModelConfigSchema,
  update: updateModelConfigSchema,
  select: selectModelConfigSchema,
} = tableSchemas(modelConfigs, modelConfigRefine);

const aiProviderRefine = {
  id: req(code),
  name: req(trimmed),
  apiEndpoint: opt(text().url("must be a URL")),
  authType: opt(trimmed),
  apiKey: opt(encryptedSecret()),
  capabilities: opt(jsonObject()),
  status: opt(trimmed),
  rateLimitPerMinute: opt(nonNegativeInt),
  creditsRemaining: opt(decimal),
  tokensUsed: opt(nonNegativeInt),
  metadata: opt(jsonObject()),
};
/** selectAiProviderSchema: rows as read; `apiKey` is the application-encrypted value, never log it. */
export const {
  insert: insertAiProviderSchema,
  update: updateAiProviderSchema,
  select: selectAiProviderSchema,
} = tableSchemas(aiProviders, aiProviderRefine);

const orchestrationRuleRefine = {
  name: req(trimmed),
  strategy: req(code),
  modelSequence: req(json),
  conditions: opt(jsonObject()),
  metadata: opt(jsonObject()),
};
export const {
  insert: insertOrchestrationRuleSchema,
  update: updateOrchestrationRuleSchema,
  select: selectOrchestrationRuleSchema,
} = tableSchemas(orchestrationRules, orchestrationRuleRefine);

const usageLogRefine = {
  userId: req(trimmed),
  modelId: opt(trimmed),
  tier: req(intRange(MODEL_TIER_MIN, MODEL_TIER_MAX)),
  promptTokens: opt(nonNegativeInt),
  completionTokens: opt(nonNegativeInt),
  totalTokens: opt(nonNegativeInt),
  totalCost: opt(decimal),
  qualityScore: opt(decimal),
};
export const {
  insert: insertUsageLogSchema,
  update: updateUsageLogSchema,
  select: selectUsageLogSchema,
} = tableSchemas(usageLogs, usageLogRefine);

const auditLogRefine = {
  action: req(trimmed),
  details: opt(jsonObject()),
};
export const {
  insert: insertAuditLogSchema,
  update: updateAuditLogSchema,
  select: selectAuditLogSchema,
} = tableSchemas(auditLogs, auditLogRefine);

const userTokenStatRefine = {
  userId: req(trimmed),
  date: req(isoDate()),
  model: req(trimmed),
  provider: req(trimmed),
  totalTokens: opt(nonNegativeInt),
  totalCost: opt(decimal),
  messageCount: opt(nonNegativeInt),
  conversationCount: opt(nonNegativeInt),
};
export const {
  insert: insertUserTokenStatSchema,
  update: updateUserTokenStatSchema,
  select: selectUserTokenStatSchema,
} = tableSchemas(userTokenStats, userTokenStatRefine);

const chatContextRefine = {
  context: opt(jsonObject()),
  summary: opt(text(TEXT_NAME_MAX * 200)),
  tokenCount: opt(nonNegativeInt),
};
export const {
  insert: insertChatContextSchema,
  update: updateChatContextSchema,
  select: selectChatContextSchema,
} = tableSchemas(chatContexts, chatContextRefine);

// Operation inputs (src/queries/core) ------------------------------------------------------------

/**
 * A plaintext session token the caller brings (a signed JWT...): only its SHA-256 digest is stored.
 * Opaque: hashed exactly as given (never trimmed), so the same string finds the session again.
 */
const plaintextToken = () =>
  z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters");

export const createSessionInput = z.strictObject({
  userId: uuid(),
  /** Access token lifetime (default 1 hour). */
  ttlSeconds: positiveInt(31_536_000).default(3600),
  /** Refresh token lifetime (default 30 days). */
  refreshTtlSeconds: positiveInt(31_536_000).default(2_592_000),
  ...columnFields(insertSessionSchema, "ipAddress", "userAgent"),
  /** Bring your own tokens (e.g. signed JWTs); random ones are generated otherwise. */
  token: plaintextToken().optional(),
  refreshToken: plaintextToken().optional(),
});

export const sessionTokenInput = z.strictObject({ token: plaintextToken() });

export const revokeSessionInput = z.union([idInput("sessionId"), sessionTokenInput]);

export const recordUsageInput = z
  .strictObject({
    ...columnFields(insertUsageLogSchema, "userId", "tier", "qualityScore"),
    modelId: columnRule(insertUsageLogSchema, "modelId"),
    /** Provider of the model (part of the stats key; usage_logs has no provider column). */
    provider: columnRule(insertUserTokenStatSchema, "provider"),
    promptTokens: columnRule(insertUsageLogSchema, "promptTokens").default(0),
    completionTokens: columnRule(insertUsageLogSchema, "completionTokens").default(0),
    totalCost: columnRule(insertUsageLogSchema, "totalCost").default("0"),
    escalated: z.boolean().default(false),
    /** True for the first message of a conversation: counts it in conversation_count. */
    newConversation: z.boolean().default(false),
  })
  .refine((u) => u.promptTokens + u.completionTokens <= INT32_MAX, {
    // usage_logs.total_tokens is their sum, an integer column.
    path: ["completionTokens"],
    message: `promptTokens + completionTokens must be at most ${INT32_MAX}`,
  });
