-- migrate:no-transaction
-- Indexes for searchAssets at 1 M assets (issue 15), declared in src/schema/assets/tables.ts.
-- Written by `npm run db:generate` (plain CREATE INDEX), then edited once, before this file was
-- applied anywhere: CONCURRENTLY, so writes to assets go on while each index builds (a plain build
-- holds a SHARE lock on the table for its whole duration), hence no transaction (PostgreSQL refuses
-- CONCURRENTLY in one), one statement per index, and IF NOT EXISTS so a run that stopped part-way
-- runs again from the top (an INVALID index left by a failed build is dropped by the runner first).
-- Like every migration, it is never edited again once applied.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_serial_no_lower" ON "assets" USING btree (lower("serial_no"));--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_asset_code_lower" ON "assets" USING btree (lower("asset_code") text_pattern_ops);--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_hostname_lower" ON "assets" USING btree (lower("hostname") text_pattern_ops);--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_mac_hex" ON "assets" USING btree (lower(regexp_replace("mac_address", '[^0-9A-Fa-f]', '', 'g')));--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_status_asset_code" ON "assets" USING btree ("status","asset_code","id");
