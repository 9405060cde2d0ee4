-- Custom SQL migration: drizzle-kit cannot express functions or triggers.
-- The database keeps updated_at current on every UPDATE, raw SQL included (design.md).
-- An UPDATE that sets updated_at itself (an import preserving history) keeps its value.
-- Every table with an updated_at column gets the trigger; test/integrity checks that none is missed.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "ai_providers_set_updated_at" BEFORE UPDATE ON "ai_providers" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "assets_set_updated_at" BEFORE UPDATE ON "assets" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "chat_contexts_set_updated_at" BEFORE UPDATE ON "chat_contexts" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "cmdb_ci_attr_values_set_updated_at" BEFORE UPDATE ON "cmdb_ci_attr_values" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "cmdb_cis_set_updated_at" BEFORE UPDATE ON "cmdb_cis" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "conversations_set_updated_at" BEFORE UPDATE ON "conversations" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "model_configs_set_updated_at" BEFORE UPDATE ON "model_configs" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "orchestration_rules_set_updated_at" BEFORE UPDATE ON "orchestration_rules" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "repair_orders_set_updated_at" BEFORE UPDATE ON "repair_orders" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "spare_part_stock_set_updated_at" BEFORE UPDATE ON "spare_part_stock" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "stock_documents_set_updated_at" BEFORE UPDATE ON "stock_documents" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "users_set_updated_at" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER "workflow_requests_set_updated_at" BEFORE UPDATE ON "workflow_requests" FOR EACH ROW EXECUTE FUNCTION set_updated_at();
