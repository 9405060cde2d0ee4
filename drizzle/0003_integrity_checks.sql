CREATE UNIQUE INDEX "idx_asset_assignments_asset_id_open" ON "asset_assignments" USING btree ("asset_id") WHERE "asset_assignments"."returned_at" IS NULL;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_session_id_asset_id_key" UNIQUE("session_id","asset_id");--> statement-breakpoint
ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "cmdb_relationships_rel_type_id_from_ci_id_to_ci_id_key" UNIQUE("rel_type_id","from_ci_id","to_ci_id");--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_asset_id_reminder_type_due_at_key" UNIQUE("asset_id","reminder_type","due_at");--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_vlan_id_check" CHECK ("assets"."vlan_id" >= 1 AND "assets"."vlan_id" <= 4094);--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_parent_not_self_check" CHECK ("locations"."parent_id" <> "locations"."id");--> statement-breakpoint
ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "cmdb_relationships_not_self_check" CHECK ("cmdb_relationships"."from_ci_id" <> "cmdb_relationships"."to_ci_id");--> statement-breakpoint
ALTER TABLE "spare_part_stock" ADD CONSTRAINT "spare_part_stock_on_hand_check" CHECK ("spare_part_stock"."on_hand" >= 0);--> statement-breakpoint
ALTER TABLE "spare_part_stock" ADD CONSTRAINT "spare_part_stock_reserved_check" CHECK ("spare_part_stock"."reserved" >= 0);--> statement-breakpoint
ALTER TABLE "spare_part_stock" ADD CONSTRAINT "spare_part_stock_reserved_within_on_hand_check" CHECK ("spare_part_stock"."reserved" <= "spare_part_stock"."on_hand");