/** core domain: value lists, tables, relations and row types. */
export * from "./relations.js";
export * from "./tables.js";

import type {
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
} from "./tables.js";

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type Conversation = typeof conversations.$inferSelect;
export type NewConversation = typeof conversations.$inferInsert;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type ModelConfig = typeof modelConfigs.$inferSelect;
export type NewModelConfig = typeof modelConfigs.$inferInsert;
export type AiProvider = typeof aiProviders.$inferSelect;
export type NewAiProvider = typeof aiProviders.$inferInsert;
export type OrchestrationRule = typeof orchestrationRules.$inferSelect;
export type NewOrchestrationRule = typeof orchestrationRules.$inferInsert;
export type UsageLog = typeof usageLogs.$inferSelect;
export type NewUsageLog = typeof usageLogs.$inferInsert;
export type AuditLog = typeof auditLogs.$inferSelect;
export type NewAuditLog = typeof auditLogs.$inferInsert;
export type UserTokenStat = typeof userTokenStats.$inferSelect;
export type NewUserTokenStat = typeof userTokenStats.$inferInsert;
export type ChatContext = typeof chatContexts.$inferSelect;
export type NewChatContext = typeof chatContexts.$inferInsert;
