import { relations } from "drizzle-orm";
import { chatContexts, conversations, messages, sessions, users } from "./tables.js";

// conversations.user_id and usage_logs.user_id are VARCHAR in the spec, not foreign keys to
// users(id) (uuid), so no relation is declared for them.
export const usersRelations = relations(users, ({ many }) => ({ sessions: many(sessions) }));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const conversationsRelations = relations(conversations, ({ many, one }) => ({
  messages: many(messages),
  chatContext: one(chatContexts),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  conversation: one(conversations, {
    fields: [messages.conversationId],
    references: [conversations.id],
  }),
}));

export const chatContextsRelations = relations(chatContexts, ({ one }) => ({
  conversation: one(conversations, {
    fields: [chatContexts.conversationId],
    references: [conversations.id],
  }),
  lastMessage: one(messages, { fields: [chatContexts.lastMessageId], references: [messages.id] }),
}));
