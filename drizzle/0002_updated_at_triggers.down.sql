-- Down of 0002_updated_at_triggers (custom, written by hand): the triggers, then their function.
-- Rows keep the updated_at values the triggers wrote; later UPDATEs no longer touch it.
DROP TRIGGER "workflow_requests_set_updated_at" ON "workflow_requests";--> statement-breakpoint
DROP TRIGGER "users_set_updated_at" ON "users";--> statement-breakpoint
DROP TRIGGER "stock_documents_set_updated_at" ON "stock_documents";--> statement-breakpoint
DROP TRIGGER "spare_part_stock_set_updated_at" ON "spare_part_stock";--> statement-breakpoint
DROP TRIGGER "repair_orders_set_updated_at" ON "repair_orders";--> statement-breakpoint
DROP TRIGGER "orchestration_rules_set_updated_at" ON "orchestration_rules";--> statement-breakpoint
DROP TRIGGER "model_configs_set_updated_at" ON "model_configs";--> statement-breakpoint
DROP TRIGGER "conversations_set_updated_at" ON "conversations";--> statement-breakpoint
DROP TRIGGER "cmdb_cis_set_updated_at" ON "cmdb_cis";--> statement-breakpoint
DROP TRIGGER "cmdb_ci_attr_values_set_updated_at" ON "cmdb_ci_attr_values";--> statement-breakpoint
DROP TRIGGER "chat_contexts_set_updated_at" ON "chat_contexts";--> statement-breakpoint
DROP TRIGGER "assets_set_updated_at" ON "assets";--> statement-breakpoint
DROP TRIGGER "ai_providers_set_updated_at" ON "ai_providers";--> statement-breakpoint
DROP FUNCTION set_updated_at();
