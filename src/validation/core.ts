/** Validation schemas of the core domain (users, sessions, conversations, AI configuration, telemetry). */
import { MODEL_TIER_MAX, MODEL_TIER_MIN } from "../schema/core/index.js";
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
} from "../schema/core/tables.js";
import { createInsertSchema, createSelectSchema, createUpdateSchema } from "./factory.js";
import {
  code,
  decimal,
  email,
  encryptedSecret,
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
} from "./refinements.js";

const userRefine = {
  email: req(email(255)),
  name: req(trimmed(255)),
  username: opt(code(255)),
  passwordHash: req(passwordHash()),
  tier: opt(trimmed(50)),
  status: opt(trimmed(20)),
};
export const insertUserSchema = createInsertSchema(users, userRefine).strict();
export const updateUserSchema = createUpdateSchema(users, userRefine).strict();
export const selectUserSchema = createSelectSchema(users);

const sessionRefine = {
  token: req(trimmed(500)),
  refreshToken: req(trimmed(500)),
  ipAddress: opt(ipHost()),
};
export const insertSessionSchema = createInsertSchema(sessions, sessionRefine).strict();
export const updateSessionSchema = createUpdateSchema(sessions, sessionRefine).strict();
export const selectSessionSchema = createSelectSchema(sessions);

const conversationRefine = {
  userId: req(trimmed(255)),
  title: req(trimmed(255)),
  model: opt(trimmed(255)),
  status: opt(trimmed(20)),
  messageCount: opt(nonNegativeInt()),
  metadata: opt(jsonObject()),
};
export const insertConversationSchema = createInsertSchema(conversations, conversationRefine).strict();
export const updateConversationSchema = createUpdateSchema(conversations, conversationRefine).strict();
export const selectConversationSchema = createSelectSchema(conversations);

const messageRefine = {
  promptTokens: opt(nonNegativeInt()),
  completionTokens: opt(nonNegativeInt()),
  tokenCount: opt(nonNegativeInt()),
  latencyMs: opt(nonNegativeInt()),
  cost: opt(decimal({ precision: 12, scale: 4 })),
  metadata: opt(jsonObject()),
  toolCalls: opt(json),
};
export const insertMessageSchema = createInsertSchema(messages, messageRefine).strict();
export const updateMessageSchema = createUpdateSchema(messages, messageRefine).strict();
export const selectMessageSchema = createSelectSchema(messages);

const modelConfigRefine = {
  id: req(code(100)),
  provider: req(code(50)),
  tier: req(intRange(MODEL_TIER_MIN, MODEL_TIER_MAX)),
  contextWindow: opt(positiveInt()),
  maxTokens: opt(positiveInt()),
  costPer1kInput: opt(decimal({ precision: 10, scale: 6 })),
  costPer1kOutput: opt(decimal({ precision: 10, scale: 6 })),
  capabilities: opt(jsonObject()),
  status: opt(trimmed(20)),
  displayName: opt(trimmed(255)),
};
export const insertModelConfigSchema = createInsertSchema(modelConfigs, modelConfigRefine).strict();
export const updateModelConfigSchema = createUpdateSchema(modelConfigs, modelConfigRefine).strict();
export const selectModelConfigSchema = createSelectSchema(modelConfigs);

const aiProviderRefine = {
  id: req(code(100)),
  name: req(trimmed(255)),
  apiEndpoint: opt(text().url("must be a URL")),
  authType: opt(trimmed(50)),
  apiKey: opt(encryptedSecret()),
  capabilities: opt(jsonObject()),
  status: opt(trimmed(20)),
  rateLimitPerMinute: opt(nonNegativeInt()),
  creditsRemaining: opt(decimal({ precision: 12, scale: 4 })),
  tokensUsed: opt(nonNegativeInt(Number.MAX_SAFE_INTEGER)),
  metadata: opt(jsonObject()),
};
export const insertAiProviderSchema = createInsertSchema(aiProviders, aiProviderRefine).strict();
export const updateAiProviderSchema = createUpdateSchema(aiProviders, aiProviderRefine).strict();
/** Rows as read; `apiKey` is the application-encrypted value, never log it. */
export const selectAiProviderSchema = createSelectSchema(aiProviders);

const orchestrationRuleRefine = {
  name: req(trimmed(255)),
  strategy: req(code(50)),
  modelSequence: req(json),
  conditions: opt(jsonObject()),
  metadata: opt(jsonObject()),
};
export const insertOrchestrationRuleSchema = createInsertSchema(
  orchestrationRules,
  orchestrationRuleRefine,
).strict();
export const updateOrchestrationRuleSchema = createUpdateSchema(
  orchestrationRules,
  orchestrationRuleRefine,
).strict();
export const selectOrchestrationRuleSchema = createSelectSchema(orchestrationRules);

const usageLogRefine = {
  userId: req(trimmed(255)),
  tier: req(intRange(MODEL_TIER_MIN, MODEL_TIER_MAX)),
  promptTokens: opt(nonNegativeInt()),
  completionTokens: opt(nonNegativeInt()),
  totalTokens: opt(nonNegativeInt()),
  totalCost: opt(decimal({ precision: 10, scale: 6 })),
  qualityScore: opt(decimal({ precision: 3, scale: 2 })),
};
export const insertUsageLogSchema = createInsertSchema(usageLogs, usageLogRefine).strict();
export const updateUsageLogSchema = createUpdateSchema(usageLogs, usageLogRefine).strict();
export const selectUsageLogSchema = createSelectSchema(usageLogs);

const auditLogRefine = {
  action: req(trimmed(100)),
  details: opt(jsonObject()),
};
export const insertAuditLogSchema = createInsertSchema(auditLogs, auditLogRefine).strict();
export const updateAuditLogSchema = createUpdateSchema(auditLogs, auditLogRefine).strict();
export const selectAuditLogSchema = createSelectSchema(auditLogs);

const userTokenStatRefine = {
  userId: req(trimmed(255)),
  date: req(isoDate()),
  model: req(trimmed(150)),
  provider: req(trimmed(100)),
  totalTokens: opt(nonNegativeInt()),
  totalCost: opt(decimal({ precision: 12, scale: 6 })),
  messageCount: opt(nonNegativeInt()),
  conversationCount: opt(nonNegativeInt()),
};
export const insertUserTokenStatSchema = createInsertSchema(userTokenStats, userTokenStatRefine).strict();
export const updateUserTokenStatSchema = createUpdateSchema(userTokenStats, userTokenStatRefine).strict();
export const selectUserTokenStatSchema = createSelectSchema(userTokenStats);

const chatContextRefine = {
  context: opt(jsonObject()),
  summary: opt(text(TEXT_NAME_MAX * 200)),
  tokenCount: opt(nonNegativeInt()),
};
export const insertChatContextSchema = createInsertSchema(chatContexts, chatContextRefine).strict();
export const updateChatContextSchema = createUpdateSchema(chatContexts, chatContextRefine).strict();
export const selectChatContextSchema = createSelectSchema(chatContexts);
