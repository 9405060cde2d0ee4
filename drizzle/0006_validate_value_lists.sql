-- Validates the CHECKs that 0005 added NOT VALID. VALIDATE scans the table under SHARE UPDATE
-- EXCLUSIVE, so reads and writes go on meanwhile. A row outside a list fails this migration with
-- PostgreSQL's message naming the constraint, e.g. `check constraint "ops_events_entity_type_check"
-- of relation "ops_events" is violated by some row`: fix those rows, then migrate again.
ALTER TABLE "asset_category_spec_defs" VALIDATE CONSTRAINT "asset_category_spec_defs_field_type_check";--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" VALIDATE CONSTRAINT "cmdb_ci_type_attr_defs_field_type_check";--> statement-breakpoint
ALTER TABLE "ops_events" VALIDATE CONSTRAINT "ops_events_entity_type_check";
