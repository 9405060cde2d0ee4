-- Custom SQL migration: post many draft receipts in a few set-wise statements (issue 16, opening stock
-- import). netops_post_stock_document posts one document through netops_apply_movements, which loops
-- per (warehouse, part) in PL/pgSQL (an UPDATE, and for a new stock row a SELECT FOR UPDATE, an INSERT
-- and the UPDATE again): 20,000 opening-stock lines cost 20,000 iterations. A receipt only adds
-- on_hand (netops_movement_effect('in') = (1, 0)), so no line can make stock short or negative and the
-- stock rows take one upsert. Same ledger as posting each receipt with netops_post_stock_document:
--   * the documents are locked (FOR UPDATE, in id order) and must all be draft receipts with a
--     warehouse and lines that each name a part, else the same errors (NS003, NS004, NS005);
--   * they are marked posted (approved_by as netops_post_stock_document sets it) before the stock
--     changes, so the stock rows are the last thing locked;
--   * one movement `in` per line (qty, unit_cost, ref_type, ref_id = the document, the actor, the
--     correlation id or the document's), appended;
--   * spare_part_stock gains each (warehouse, part)'s summed qty in one INSERT ... ON CONFLICT DO
--     UPDATE, rows taken in (warehouse_id, part_id) order: the lock order of netops_apply_movements,
--     so a concurrent posting never deadlocks with it.
-- Returns each document with its number of movements. Not SECURITY DEFINER: it runs with the
-- caller's rights, like the other ledger functions; owned by netops_owner like every object (0009).
CREATE FUNCTION netops_post_receipts(
  p_document_ids uuid[], p_ref_type text, p_approved_by text, p_actor_user_id text, p_correlation_id text)
RETURNS TABLE (document_id uuid, movements integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_locked integer;
  v_id uuid;
  h record;
BEGIN
  SELECT count(*) INTO v_locked
    FROM (SELECT 1 FROM stock_documents d WHERE d.id = ANY (p_document_ids) ORDER BY d.id FOR UPDATE) AS l;
  IF v_locked < (SELECT count(DISTINCT x) FROM unnest(p_document_ids) AS x) THEN
    SELECT x INTO v_id FROM unnest(p_document_ids) AS x
     WHERE NOT EXISTS (SELECT 1 FROM stock_documents d WHERE d.id = x) ORDER BY x LIMIT 1;
    RAISE EXCEPTION USING ERRCODE = 'NS003', MESSAGE = format('stock document %s not found', v_id),
      DETAIL = json_build_object('entity', 'stock document', 'id', v_id)::text;
  END IF;
  -- The first document (by id) that cannot be posted as a receipt, with the first reason.
  SELECT d.id, d.status, d.doc_type, d.warehouse_id,
         NOT EXISTS (SELECT 1 FROM stock_document_lines l WHERE l.document_id = d.id) AS no_lines,
         (SELECT l.id FROM stock_document_lines l WHERE l.document_id = d.id AND l.part_id IS NULL
           ORDER BY l.id LIMIT 1) AS no_part
    INTO h
    FROM stock_documents d
   WHERE d.id = ANY (p_document_ids)
     AND (d.status <> 'draft' OR d.doc_type <> 'receipt' OR d.warehouse_id IS NULL
          OR NOT EXISTS (SELECT 1 FROM stock_document_lines l WHERE l.document_id = d.id)
          OR EXISTS (SELECT 1 FROM stock_document_lines l WHERE l.document_id = d.id AND l.part_id IS NULL))
   ORDER BY d.id LIMIT 1;
  IF FOUND THEN
    IF h.status <> 'draft' THEN
      RAISE EXCEPTION USING ERRCODE = 'NS004', MESSAGE = format('stock document %s is %s, not draft', h.id, h.status),
        DETAIL = json_build_object('documentId', h.id, 'status', h.status)::text;
    END IF;
    IF h.doc_type <> 'receipt' THEN
      RAISE EXCEPTION USING ERRCODE = 'NS005',
        MESSAGE = format('stock document %s has type %s: netops_post_receipts posts receipts only', h.id, h.doc_type);
    END IF;
    IF h.no_lines THEN
      RAISE EXCEPTION USING ERRCODE = 'NS005', MESSAGE = format('stock document %s has no lines', h.id);
    END IF;
    IF h.warehouse_id IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'NS005', MESSAGE = format('stock document %s has no warehouse', h.id);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'NS005', MESSAGE = format('stock document line %s has no part', h.no_part);
  END IF;

  UPDATE stock_documents d
     SET status = 'posted', approved_by = coalesce(p_approved_by, d.approved_by)
   WHERE d.id = ANY (p_document_ids);

  INSERT INTO spare_part_movements
    (warehouse_id, part_id, movement_type, qty, unit_cost, ref_type, ref_id, actor_user_id, correlation_id)
  SELECT d.warehouse_id, l.part_id, 'in', l.qty, l.unit_cost, p_ref_type, d.id, p_actor_user_id,
         coalesce(p_correlation_id, d.correlation_id)
    FROM stock_documents d JOIN stock_document_lines l ON l.document_id = d.id
   WHERE d.id = ANY (p_document_ids)
   ORDER BY d.id, l.id;

  -- The sign of `in` from the ledger's one definition; never negative, so no shortage to check.
  INSERT INTO spare_part_stock AS s (warehouse_id, part_id, on_hand, reserved)
  SELECT d.warehouse_id, l.part_id, ((netops_movement_effect('in')).on_hand * sum(l.qty))::integer, 0
    FROM stock_documents d JOIN stock_document_lines l ON l.document_id = d.id
   WHERE d.id = ANY (p_document_ids)
   GROUP BY d.warehouse_id, l.part_id
   ORDER BY d.warehouse_id, l.part_id
  ON CONFLICT (warehouse_id, part_id) DO UPDATE SET on_hand = coalesce(s.on_hand, 0) + excluded.on_hand;

  RETURN QUERY
  SELECT d.id, count(l.id)::integer
    FROM stock_documents d JOIN stock_document_lines l ON l.document_id = d.id
   WHERE d.id = ANY (p_document_ids)
   GROUP BY d.id
   ORDER BY d.id;
END;
$$;--> statement-breakpoint
ALTER FUNCTION netops_post_receipts(uuid[], text, text, text, text) OWNER TO netops_owner;
