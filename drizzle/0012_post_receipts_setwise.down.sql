-- Down of 0012_post_receipts_setwise: the function is new and nothing in the schema depends on it
-- (the stock import calls it; an older checkout's import posts with netops_post_stock_document).
DROP FUNCTION IF EXISTS netops_post_receipts(uuid[], text, text, text, text);
