-- migrate:no-transaction
-- Partial index for a part's latest receipt cost in a warehouse (`spare_part_movements` by
-- warehouse_id, part_id, newest first, receipts with a cost only), declared in
-- src/schema/warehouse/tables.ts: addRepairParts reads it (latestReceiptCosts) as one LIMIT 1 probe
-- per part; without it the read visits every movement of the pair (78 buffers per part at 10 M
-- movements, 5 with it: docs/scaling.md). Written by `npm run db:generate` (plain CREATE INDEX),
-- then edited once, before this file was applied anywhere: CONCURRENTLY, so postings go on while it
-- builds, hence no transaction, and IF NOT EXISTS so a run that stopped part-way can run again (the
-- runner drops an INVALID index a failed build left first). Never edited again once applied.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_spare_part_movements_receipt_cost" ON "spare_part_movements" USING btree ("warehouse_id","part_id","created_at" DESC NULLS FIRST) WHERE "spare_part_movements"."movement_type" IN ('in', 'transfer_in') AND "spare_part_movements"."unit_cost" IS NOT NULL;
