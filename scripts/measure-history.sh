#!/usr/bin/env bash
# The history tables at 10 M rows (docs/scaling.md): on a CLONE of a scale database (never on the
# shared template), for each table measure
#   - the insert rate of the application's own single-row INSERT (server-side loop, so the disk's
#     fsync rate does not hide the cost of index and foreign-key maintenance),
#   - the application's reads on it (pgbench, 1 client, p50 latency),
# at the size the data set has, then grow the table to 10 M rows with generated rows (INSERT ...
# SELECT generate_series in batches of 1 M, the rate of each batch printed) and measure again.
# Generated rows are realistic: existing assets, warehouses and parts, created_at spread over
# 36 months, movements in balanced in/out pairs so the ledger invariant still holds.
#
#   scripts/measure-history.sh postgres://postgres@127.0.0.1:5432/netops_<you>_s1 [table ...]
#
# Tables: asset_events spare_part_movements usage_logs audit_logs ops_events (default: all).
set -euo pipefail
URL=${1:?usage: measure-history.sh <clone url> [table ...]}
shift
TABLES=${*:-asset_events spare_part_movements usage_logs audit_logs ops_events}
TARGET=${TARGET:-10000000}
BATCH=${BATCH:-1000000}
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
q() { psql "$URL" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

q <<'SQL'
CREATE SCHEMA IF NOT EXISTS measure;
CREATE TABLE IF NOT EXISTS measure.asset_rn AS SELECT row_number() OVER (ORDER BY id)::int AS rn, id FROM assets;
CREATE UNIQUE INDEX IF NOT EXISTS asset_rn_rn ON measure.asset_rn (rn);
CREATE TABLE IF NOT EXISTS measure.stock_rn AS
  SELECT row_number() OVER (ORDER BY warehouse_id, part_id)::int AS rn, warehouse_id, part_id FROM spare_part_stock;
CREATE UNIQUE INDEX IF NOT EXISTS stock_rn_rn ON measure.stock_rn (rn);
CREATE TABLE IF NOT EXISTS measure.doc_rn AS
  SELECT row_number() OVER (ORDER BY id)::int AS rn, id FROM stock_documents WHERE status = 'posted';
CREATE UNIQUE INDEX IF NOT EXISTS doc_rn_rn ON measure.doc_rn (rn);
ANALYZE measure.asset_rn; ANALYZE measure.stock_rn; ANALYZE measure.doc_rn;

-- n single-row INSERTs as the package writes them; returns rows/s.
CREATE OR REPLACE FUNCTION measure.insert_rate(tbl text, n int) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  na int := (SELECT max(rn) FROM measure.asset_rn);
  ns int := (SELECT max(rn) FROM measure.stock_rn);
  s record;
  k int;
BEGIN
  FOR i IN 1..n LOOP
    k := 1 + floor(random() * CASE tbl WHEN 'asset_events' THEN na ELSE ns END)::int;
    CASE tbl
    WHEN 'asset_events' THEN
      INSERT INTO asset_events (asset_id, event_type, payload, actor_user_id)
      VALUES ((SELECT id FROM measure.asset_rn WHERE rn = k),
              'status_changed', '{"from": "in_stock", "to": "in_use"}', 'u1');
    WHEN 'spare_part_movements' THEN
      IF i % 2 = 1 THEN
        SELECT * INTO s FROM measure.stock_rn WHERE rn = k;
        INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, ref_type, ref_id)
        VALUES (s.warehouse_id, s.part_id, 'reserve', 1, 'stock_document', gen_random_uuid());
      ELSE
        INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, ref_type, ref_id)
        VALUES (s.warehouse_id, s.part_id, 'release', 1, 'stock_document', gen_random_uuid());
      END IF;
    WHEN 'usage_logs' THEN
      INSERT INTO usage_logs (user_id, model_id, tier, prompt_tokens, completion_tokens, total_tokens, total_cost)
      VALUES ('user-' || floor(random() * 5000)::int, 'gpt-4o-mini', 1, 420, 180, 600, 0.000360);
    WHEN 'audit_logs' THEN
      INSERT INTO audit_logs (correlation_id, user_id, action, resource, details)
      VALUES (gen_random_uuid()::text, 'user-1', 'asset.update', 'assets/' || i, '{"fields": ["status"]}');
    WHEN 'ops_events' THEN
      INSERT INTO ops_events (entity_type, entity_id, event_type, payload)
      VALUES ('stock_document', gen_random_uuid(), 'posted', '{}');
    END CASE;
  END LOOP;
  RETURN round(n / extract(epoch FROM clock_timestamp() - t0));
END $$;
SQL

# pgbench scripts: the application's reads of each table (random keys).
cat >"$WORK/asset_events.sql" <<'SQL'
\set k random(1, 1000000)
SELECT * FROM asset_events WHERE asset_id = (SELECT id FROM measure.asset_rn WHERE rn = :k) ORDER BY created_at DESC LIMIT 50;
SQL
NS=$(q -c "SELECT max(rn) FROM measure.stock_rn")
ND=$(q -c "SELECT max(rn) FROM measure.doc_rn")
cat >"$WORK/spm_latest_cost.sql" <<SQL
\\set k random(1, $NS)
SELECT DISTINCT ON (m.part_id) m.part_id, m.unit_cost FROM spare_part_movements m, measure.stock_rn s
 WHERE s.rn = :k AND m.warehouse_id = s.warehouse_id AND m.part_id IN (s.part_id)
   AND m.movement_type IN ('in', 'transfer_in') AND m.unit_cost IS NOT NULL
 ORDER BY m.part_id, m.created_at DESC;
SQL
cat >"$WORK/spm_by_document.sql" <<SQL
\\set k random(1, $ND)
SELECT * FROM spare_part_movements WHERE ref_type = 'stock_document' AND ref_id = (SELECT id FROM measure.doc_rn WHERE rn = :k);
SQL

reads() { # table -> "name p50ms" lines
  local files=()
  case $1 in
  asset_events) files=(asset_events) ;;
  spare_part_movements) files=(spm_latest_cost spm_by_document) ;;
  esac
  for f in "${files[@]}"; do
    # -t: enough transactions for a stable average, few enough for a seq scan of 10 M rows.
    local n=200
    [ "$f" = spm_by_document ] && n=10
    local lat
    lat=$("$PGBENCH" -n -c 1 -t "$n" -f "$WORK/$f.sql" "$URL" 2>/dev/null | awk '/latency average/ {print $4}')
    echo "  read $f: ${lat} ms average over $n"
  done
  if [ "$1" = spare_part_movements ]; then
    local t0 t1
    t0=$(date +%s.%N)
    q -c "WITH ledger AS (SELECT warehouse_id, part_id,
            sum(CASE WHEN movement_type IN ('in','adjust_in','transfer_in') THEN qty WHEN movement_type IN ('out','adjust_out','transfer_out') THEN -qty ELSE 0 END) AS on_hand,
            sum(CASE movement_type WHEN 'reserve' THEN qty WHEN 'release' THEN -qty ELSE 0 END) AS reserved
            FROM spare_part_movements GROUP BY 1, 2)
          SELECT count(*) FROM spare_part_stock s FULL JOIN ledger l USING (warehouse_id, part_id)
           WHERE coalesce(s.on_hand,0) <> coalesce(l.on_hand,0) OR coalesce(s.reserved,0) <> coalesce(l.reserved,0)" >"$WORK/ledger.out"
    t1=$(date +%s.%N)
    echo "  read checkLedgerInvariant: $(echo "($t1 - $t0) * 1000" | bc) ms, $(cat "$WORK/ledger.out") disagreeing rows"
  fi
}

grow_sql() { # table offset n -> INSERT ... SELECT of n generated rows
  local na ns
  na=$(q -c "SELECT max(rn) FROM measure.asset_rn")
  ns=$(q -c "SELECT max(rn) FROM measure.stock_rn")
  local ts="now() - ((g * 7919) % (36 * 30 * 86400)) * interval '1 second'"
  case $1 in
  asset_events) echo "INSERT INTO asset_events (asset_id, event_type, payload, actor_user_id, created_at)
    SELECT a.id, (ARRAY['status_changed','moved','assigned','returned'])[1 + g % 4], jsonb_build_object('n', g), 'user-' || g % 5000, $ts
      FROM generate_series($2 + 1::bigint, $2 + $3) g JOIN measure.asset_rn a ON a.rn = 1 + (g * 104729) % $na" ;;
  spare_part_movements) echo "INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, unit_cost, ref_type, ref_id, created_at)
    SELECT s.warehouse_id, s.part_id, CASE WHEN p.odd THEN 'out' ELSE 'in' END, 1 + p.pair % 5,
           CASE WHEN NOT p.odd THEN 10 + (g % 500) END, 'stock_document', gen_random_uuid(), $ts
      FROM generate_series($2 + 1::bigint, $2 + $3) g
     CROSS JOIN LATERAL (SELECT (g - $2 - 1) % 2 = 1 AS odd, $2 + (g - $2 - 1) / 2 AS pair) p
      JOIN measure.stock_rn s ON s.rn = 1 + (p.pair * 104729) % $ns" ;;
  usage_logs) echo "INSERT INTO usage_logs (user_id, model_id, tier, prompt_tokens, completion_tokens, total_tokens, total_cost, created_at)
    SELECT 'user-' || g % 5000, (ARRAY['gpt-4o-mini','claude-haiku','llama-3-70b'])[1 + g % 3], g % 4, 400 + g % 800, 100 + g % 300, 500 + g % 1100, 0.0004, $ts
      FROM generate_series($2 + 1::bigint, $2 + $3) g" ;;
  audit_logs) echo "INSERT INTO audit_logs (correlation_id, user_id, action, resource, details, created_at)
    SELECT md5(g::text), 'user-' || g % 5000, (ARRAY['asset.update','asset.assign','ci.relate','stock.post'])[1 + g % 4], 'assets/' || g, jsonb_build_object('n', g), $ts
      FROM generate_series($2 + 1::bigint, $2 + $3) g" ;;
  ops_events) echo "INSERT INTO ops_events (entity_type, entity_id, event_type, payload, created_at)
    SELECT (ARRAY['repair_order','stock_document','spare_part','warehouse','maintenance_ticket'])[1 + g % 5], gen_random_uuid(), 'changed', '{}', $ts
      FROM generate_series($2 + 1::bigint, $2 + $3) g" ;;
  esac
}

for t in $TABLES; do
  rows=$(q -c "SELECT count(*) FROM $t")
  size=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('$t'))")
  echo "== $t: $rows rows, $size"
  echo "  insert (single-row, app statement): $(q -c "SELECT measure.insert_rate('$t', 20000)") rows/s"
  reads "$t"
  while [ "$rows" -lt "$TARGET" ]; do
    n=$((TARGET - rows < BATCH ? TARGET - rows : BATCH))
    n=$((n - n % 2)) # movements come in in/out pairs
    [ "$n" -gt 0 ] || break
    t0=$(date +%s.%N)
    q -c "$(grow_sql "$t" "$rows" "$n")"
    t1=$(date +%s.%N)
    rows=$((rows + n))
    echo "  grow: +$n to $rows rows at $(echo "$n / ($t1 - $t0)" | bc) rows/s"
  done
  q -c "VACUUM (ANALYZE) $t"
  size=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('$t'))")
  echo "== $t: $rows rows, $size"
  echo "  insert (single-row, app statement): $(q -c "SELECT measure.insert_rate('$t', 20000)") rows/s"
  reads "$t"
done
