-- Reverse of ledger_functions: the code of the release before it posted in several statements.
DROP FUNCTION IF EXISTS netops_post_stock_document(uuid, text, text, text, text);--> statement-breakpoint
DROP FUNCTION IF EXISTS netops_apply_movements(uuid[], uuid[], text[], integer[], numeric[], text, uuid, text, text);--> statement-breakpoint
DROP FUNCTION IF EXISTS netops_movement_effect(text);
