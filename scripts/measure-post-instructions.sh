#!/usr/bin/env bash
# Server instructions per post (README Performance, posting): a count that does not move with the
# machine's load, unlike CPU time. A private PostgreSQL cluster (initdb in a temporary directory,
# its own port) is migrated with this checkout's migrations and given a small ledger (40
# warehouses, 2,000 parts, ~40,000 stock rows and movements, 50,000 posted documents); then, for
# each statement, a single-user backend under valgrind (callgrind, counting only inside EXECUTE)
# runs it N1 and N2 times, prepared, each run on fresh one-line issue drafts of one stock row after
# a VACUUM; (count(N2) - count(N1)) / (N2 - N1) is printed. The statements:
#   - a post: `SELECT doc.*, p.movements, p.stock FROM <function>(...)`, the statement
#     postStockDocument sends, for each function named (default netops_post_stock_document);
#     a variant under another name, same signature, is loaded from a file with --sql;
#   - `pgbench`: the bench's one-statement hot-row transaction (update the stock row, insert the
#     movement), the baseline of posting.hot.single_statement.
#
#   scripts/measure-post-instructions.sh [--sql variants.sql] [--n1 20] [--n2 220] [function|pgbench ...]
#
# Needs valgrind and the PostgreSQL 15 server binaries (PGBIN, default /usr/lib/postgresql/15/bin);
# run as root it runs the server as the postgres user. Repeated counts of the same statement agree
# within about 1.5% (B-tree page splits, pruning); the first few executions (plan and function
# caches) fall in both runs and cancel out.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-5499}
N1=20
N2=220
SQLS=()
STATEMENTS=()
while [ $# -gt 0 ]; do
  case $1 in
    --sql) SQLS+=("$(realpath "$2")"); shift 2 ;;
    --n1) N1=$2; shift 2 ;;
    --n2) N2=$2; shift 2 ;;
    *) STATEMENTS+=("$1"); shift ;;
  esac
done
[ ${#STATEMENTS[@]} -gt 0 ] || STATEMENTS=(netops_post_stock_document pgbench)
command -v valgrind >/dev/null || { echo "valgrind not found" >&2; exit 1; }

WORK=$(mktemp -d /tmp/netops-post-instructions.XXXXXX)
chmod 755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else bash -c "$1"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
D=$WORK/data
DB=netops_instructions
URL=postgres://postgres@127.0.0.1:$PORT/$DB
start() { as_pg "$PGBIN/pg_ctl -D $D -o '-p $PORT -k $WORK -c listen_addresses=127.0.0.1' -l $WORK/log -w start" >/dev/null; }
stop() { as_pg "$PGBIN/pg_ctl -D $D -w stop" >/dev/null; }
cleanup() { as_pg "$PGBIN/pg_ctl -D $D -w stop" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
q() { psql "$URL" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

as_pg "$PGBIN/initdb -D $D -U postgres -A trust" >/dev/null
start
psql "postgres://postgres@127.0.0.1:$PORT/postgres" -X -q -c "CREATE DATABASE $DB"
DATABASE_URL=$URL npm run --silent db:migrate >/dev/null
q <<'SQL'
INSERT INTO warehouses (code, name) SELECT 'W-' || g, 'w' FROM generate_series(1, 40) g;
INSERT INTO spare_parts (part_code, name) SELECT 'P-' || g, 'p' FROM generate_series(1, 2000) g;
INSERT INTO spare_part_stock (warehouse_id, part_id, on_hand, reserved)
  SELECT w.id, p.id, 1000000, 0 FROM warehouses w, spare_parts p WHERE (hashtext(w.code || p.part_code) & 1) = 0
      OR (w.code = 'W-1' AND p.part_code = 'P-1');
INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, ref_type)
  SELECT warehouse_id, part_id, 'in', on_hand, 'seed' FROM spare_part_stock;
INSERT INTO stock_documents (doc_type, code, status, warehouse_id)
  SELECT 'issue', 'SEED-' || g, 'posted', (SELECT id FROM warehouses WHERE code = 'W-' || (1 + g % 40)) FROM generate_series(1, 50000) g;
INSERT INTO stock_document_lines (document_id, part_id, qty)
  SELECT d.id, (SELECT id FROM spare_parts WHERE part_code = 'P-' || (1 + abs(hashtext(d.code)) % 2000)), 1 FROM stock_documents d;
ANALYZE;
SQL
for f in "${SQLS[@]}"; do q -f "$f"; done
read -r WH PART < <(q -F ' ' -c "SELECT w.id, p.id FROM warehouses w, spare_parts p WHERE w.code = 'W-1' AND p.part_code = 'P-1'")
stop

count() { # statement, executions -> instructions inside EXECUTE (runs in a subshell: a fresh tag)
  local s=$1 n=$2 f=$WORK/script.sql run
  run=$(date +%s%N)
  start
  q -c "VACUUM spare_part_stock, stock_documents, stock_document_lines, spare_part_movements"
  {
    echo "SET synchronous_commit = off"
    if [ "$s" = pgbench ]; then
      echo "PREPARE q AS WITH s AS (UPDATE spare_part_stock SET on_hand = on_hand - 1, updated_at = now() WHERE warehouse_id = '$WH' AND part_id = '$PART' RETURNING warehouse_id, part_id) INSERT INTO spare_part_movements (warehouse_id, part_id, movement_type, qty, ref_type) SELECT warehouse_id, part_id, 'out', 1, 'bench' FROM s"
      for _ in $(seq 1 "$n"); do echo "EXECUTE q"; done
    else
      q -c "INSERT INTO stock_documents (doc_type, code, status, warehouse_id) SELECT 'issue', 'CG-$run-' || g, 'draft', '$WH' FROM generate_series(1, $n) g"
      q -c "INSERT INTO stock_document_lines (document_id, part_id, qty) SELECT id, '$PART', 1 FROM stock_documents WHERE code LIKE 'CG-$run-%'"
      echo "PREPARE q(uuid) AS SELECT doc.*, p.movements, p.stock FROM $s(\$1, 'stock_document', NULL, NULL, NULL) AS p, LATERAL (SELECT (p.document).*) AS doc"
      q -c "SELECT 'EXECUTE q(''' || id || ''')' FROM stock_documents WHERE code LIKE 'CG-$run-%' ORDER BY id"
    fi
  } >"$f"
  stop
  chmod a+r "$f"
  as_pg "valgrind --tool=callgrind --collect-atstart=no --toggle-collect=ExecuteQuery --callgrind-out-file=$WORK/cg.out $PGBIN/postgres --single -D $D -c synchronous_commit=off $DB < $f > $WORK/single.log 2>&1"
  if grep -q ERROR "$WORK/single.log"; then grep -m1 -A2 ERROR "$WORK/single.log" >&2; exit 1; fi
  awk '/^summary:/ { print $2 }' "$WORK/cg.out"
}
declare -A per
for s in "${STATEMENTS[@]}"; do
  a=$(count "$s" "$N1")
  b=$(count "$s" "$N2")
  per[$s]=$(((b - a) / (N2 - N1)))
done
for s in "${STATEMENTS[@]}"; do
  line=$(printf '%-32s %10d instructions per call' "$s" "${per[$s]}")
  if [ -n "${per[pgbench]:-}" ] && [ "$s" != pgbench ]; then
    line+=$(awk -v a="${per[pgbench]}" -v b="${per[$s]}" 'BEGIN { printf "  (pgbench statement / this: %.2f)", a / b }')
  fi
  echo "$line"
done
