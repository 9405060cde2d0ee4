-- migrate:no-transaction
-- Index for a stock document's movements (`spare_part_movements` by ref_type, ref_id), declared in
-- src/schema/warehouse/tables.ts: cancelStockDocument reads them by ref, which took 1.4 s at 10 M
-- movements without it (docs/scaling.md). Written by `npm run db:generate` (plain CREATE INDEX),
-- then edited once, before this file was applied anywhere: CONCURRENTLY, so postings go on while it
-- builds, hence no transaction, and IF NOT EXISTS so a run that stopped part-way can run again (the
-- runner drops an INVALID index a failed build left first). Never edited again once applied.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_spare_part_movements_ref" ON "spare_part_movements" USING btree ("ref_type","ref_id");
