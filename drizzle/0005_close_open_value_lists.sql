-- The data-model document leaves these value lists open ("etc."), so 0000 has no CHECK for them
-- (asset_category_spec_defs.field_type, cmdb_ci_type_attr_defs.field_type "similar to" it,
-- ops_events.entity_type). This closes them over the schema code's lists. NOT VALID: existing rows
-- are not scanned here (a baselined production database is full); 0006 validates them.
ALTER TABLE "asset_category_spec_defs" ADD CONSTRAINT "asset_category_spec_defs_field_type_check" CHECK ("asset_category_spec_defs"."field_type" IN ('string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac')) NOT VALID;--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" ADD CONSTRAINT "cmdb_ci_type_attr_defs_field_type_check" CHECK ("cmdb_ci_type_attr_defs"."field_type" IN ('string', 'number', 'boolean', 'enum', 'date', 'ip', 'mac')) NOT VALID;--> statement-breakpoint
ALTER TABLE "ops_events" ADD CONSTRAINT "ops_events_entity_type_check" CHECK ("ops_events"."entity_type" IN ('repair_order', 'stock_document', 'spare_part', 'warehouse', 'maintenance_ticket')) NOT VALID;