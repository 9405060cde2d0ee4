-- migrate:no-transaction
-- Indexes for searchAssets at 1 M assets (issue 15), declared in src/schema/assets/tables.ts.
-- Written by `npm run db:generate` (plain CREATE INDEX), then edited once, before this file was
-- applied anywhere: CONCURRENTLY, so writes to assets go on while each index builds (a plain build
-- holds a SHARE lock on the table for its whole duration), hence no transaction (PostgreSQL refuses
-- CONCURRENTLY in one), one statement per index, and IF NOT EXISTS so a run that stopped part-way
-- runs again from the top (an INVALID index left by a failed build is dropped by the runner first).
-- Like every migration, it is never edited again once applied.
-- ANALYZE last: PostgreSQL keeps statistics of an expression only once an index on it exists and
-- ANALYZE has run; until then it guesses 0.5% of the rows match lower(serial_no) = $1, and for a
-- LIMIT query prefers walking assets_asset_code_key with a filter over the new index (measured at
-- 1 M assets: search.serial and search.mac stayed whole-table walks until ANALYZE).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_serial_no_lower" ON "assets" USING btree (lower("serial_no"));--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_asset_code_lower" ON "assets" USING btree (lower("asset_code") text_pattern_ops);--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_hostname_lower" ON "assets" USING btree (lower("hostname") text_pattern_ops);--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_mac_hex" ON "assets" USING btree (lower(regexp_replace("mac_address", '[^0-9A-Fa-f]', '', 'g')));--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_assets_status_asset_code" ON "assets" USING btree ("status","asset_code","id");--> statement-breakpoint
ANALYZE "assets";
