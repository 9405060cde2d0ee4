-- migrate:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS "idx_assets_serial_no_lower";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "idx_assets_asset_code_lower";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "idx_assets_hostname_lower";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "idx_assets_mac_hex";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "idx_assets_status_asset_code";
