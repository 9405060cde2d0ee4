-- Down of 0006_validate_value_lists (custom, written by hand). PostgreSQL has no way to mark a
-- validated constraint NOT VALID again, so each CHECK is dropped and added back exactly as 0005
-- adds it: NOT VALID, no scan of the table. Rows are not touched.
ALTER TABLE "asset_category_spec_defs" DROP CONSTRAINT "asset_category_spec_defs_field_type_check";--> statement-breakpoint
ALTER TABLE "asset_category_spec_defs" ADD CONSTRAINT "asset_category_spec_defs_field_type_check" CHECK ("asset_category_spec_defs"."field_type" IN ('string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac')) NOT VALID;--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" DROP CONSTRAINT "cmdb_ci_type_attr_defs_field_type_check";--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" ADD CONSTRAINT "cmdb_ci_type_attr_defs_field_type_check" CHECK ("cmdb_ci_type_attr_defs"."field_type" IN ('string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac')) NOT VALID;--> statement-breakpoint
ALTER TABLE "ops_events" DROP CONSTRAINT "ops_events_entity_type_check";--> statement-breakpoint
ALTER TABLE "ops_events" ADD CONSTRAINT "ops_events_entity_type_check" CHECK ("ops_events"."entity_type" IN ('repair_order', 'stock_document', 'spare_part', 'warehouse', 'maintenance_ticket')) NOT VALID;
