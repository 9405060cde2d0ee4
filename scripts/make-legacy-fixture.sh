#!/usr/bin/env bash
# Regenerates test/fixtures/legacy/legacy-schema.sql: the schema-only pg_dump of a production
# database built the legacy way (seed 000: hand-run SQL, uuid-ossp's uuid_generate_v4() defaults),
# whose tables, constraint and index names are exactly those of drizzle/0000 (the production DB
# was built from the same documented DDL). Needs psql/pg_dump and a server you may create a
# throwaway database on: ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
admin="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
name="netops_fixture_$(date +%s)_$$"
url="${admin%/*}/$name"
out=test/fixtures/legacy/legacy-schema.sql
psql -qX "$admin" -c "CREATE DATABASE \"$name\" TEMPLATE template0"
trap 'psql -qX "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"' EXIT
psql -qX -v ON_ERROR_STOP=1 "$url" <<'SQL'
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;
\i drizzle/0000_initial_schema.sql
-- The legacy DDL used uuid-ossp's generator where migration 0000 uses the core gen_random_uuid().
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, a.attname
             FROM pg_attrdef d
             JOIN pg_class c ON c.oid = d.adrelid
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE c.relnamespace = 'public'::regnamespace AND pg_get_expr(d.adbin, d.adrelid) = 'gen_random_uuid()'
  LOOP
    EXECUTE format('ALTER TABLE public.%I ALTER COLUMN %I SET DEFAULT public.uuid_generate_v4()', r.relname, r.attname);
  END LOOP;
END $$;
SQL
{
  echo "-- Legacy production schema (seed 000's process: pg_dump --schema-only --no-owner --no-acl)."
  echo "-- Test fixture for db:baseline; regenerate with scripts/make-legacy-fixture.sh."
  echo
  pg_dump --schema-only --no-owner --no-acl "$url"
} > "$out"
echo "wrote $out ($(wc -l < "$out") lines)"
