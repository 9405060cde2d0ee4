-- Custom SQL migration: least privilege (issue 14). drizzle-kit cannot express roles, grants or triggers.
--
-- Three NOLOGIN group roles; login users are made members of one by `npm run db:roles`:
--   netops_owner     owns every object of the schema; migrations run as a member of it
--   netops_app       SELECT/INSERT/UPDATE/DELETE, sequences; no DDL, no TRUNCATE, no UPDATE/DELETE of history
--   netops_readonly  SELECT
-- The roles are created here when missing (CREATE ROLE needs CREATEROLE, which the migrating role has on
-- PGlite, a fresh server and the managed services' admin users), so this migration applies on a server
-- where `db:roles` never ran; when it cannot create them it fails with what to do. Granting to roles
-- that may not exist, or skipping the grants, would leave a database that silently has no least privilege.
-- Concurrent migrations on one server (test templates) may race on CREATE ROLE: the loser's
-- duplicate_object / unique_violation is the role existing, which is what it wanted.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['netops_owner', 'netops_app', 'netops_readonly'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL;
        WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'role % does not exist and % may not create it', r, current_user
            USING HINT = 'run `npm run db:roles` as a role with CREATEROLE, then migrate again';
      END;
    END IF;
  END LOOP;
  -- ALTER ... OWNER TO netops_owner needs the migrating role to be a member of it (a superuser is).
  IF NOT pg_has_role(current_user, 'netops_owner', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT netops_owner TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION '% is not a member of netops_owner and may not become one', current_user
        USING HINT = 'migrate as a member of netops_owner (`npm run db:roles -- --owner-user <name>`)';
    END;
  END IF;
END
$$;--> statement-breakpoint
-- Every object of the schema belongs to netops_owner, so any member of it (the login that migrates)
-- can change it, and no login owns it alone. Objects of an extension stay the extension's.
DO $$
DECLARE
  o record;
BEGIN
  FOR o IN
    SELECT c.oid::regclass AS name, c.relkind
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO netops_owner',
      CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, o.name);
  END LOOP;
  FOR o IN
    SELECT p.oid::regprocedure AS name
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO netops_owner', o.name);
  END LOOP;
END
$$;--> statement-breakpoint
-- No DDL for anyone but the owner: PostgreSQL 15 no longer grants CREATE on public to PUBLIC, but a
-- database created on an older server and upgraded still does.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA public TO netops_owner;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO netops_app, netops_readonly;--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA public TO netops_readonly;--> statement-breakpoint
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO netops_readonly;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO netops_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO netops_app;--> statement-breakpoint
-- The migration history (drizzle's own table), read-only for the others: the application checks
-- `migrationStatus()` at start-up as itself; only the owner migrates. The runner creates the table
-- before any migration runs; `drizzle-kit migrate` too.
DO $$
BEGIN
  IF to_regclass('drizzle.__drizzle_migrations') IS NOT NULL THEN
    GRANT USAGE ON SCHEMA drizzle TO netops_app, netops_readonly;
    GRANT SELECT ON drizzle.__drizzle_migrations TO netops_app, netops_readonly;
  END IF;
END
$$;--> statement-breakpoint
-- Tables created later: by netops_owner (a migrating login whose sessions `SET ROLE netops_owner`,
-- which `db:roles` configures) and by the role running this migration (a superuser in development).
ALTER DEFAULT PRIVILEGES FOR ROLE netops_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO netops_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE netops_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO netops_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE netops_owner IN SCHEMA public GRANT SELECT ON TABLES TO netops_readonly;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE netops_owner IN SCHEMA public GRANT SELECT ON SEQUENCES TO netops_readonly;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO netops_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO netops_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO netops_readonly;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO netops_readonly;--> statement-breakpoint
-- Append-only history (APPEND_ONLY_TABLES in src/security/append-only.ts; test/security checks this
-- list against it). Two layers, on purpose:
--   privileges: the app role never holds UPDATE, DELETE or TRUNCATE on them (visible in \dp and in drift);
--   triggers:   refuse UPDATE, DELETE and TRUNCATE unless the session's login is a member of
--               netops_owner. They also stop what privileges do not: a DELETE cascading from a parent
--               (assets -> asset_events, spare_parts/warehouses -> spare_part_movements) runs with the
--               table owner's rights, a later `GRANT ALL ON ALL TABLES` would re-grant UPDATE, and a
--               SECURITY DEFINER function runs as its owner. session_user, not current_user: inside a
--               cascade or a SECURITY DEFINER function current_user is the owner, session_user stays the login.
REVOKE UPDATE, DELETE, TRUNCATE ON "asset_events", "ops_events", "spare_part_movements", "usage_logs", "audit_logs" FROM netops_app;--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_history_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF pg_has_role(session_user, 'netops_owner', 'MEMBER') THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused for %', TG_TABLE_NAME, TG_OP, session_user
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'history is removed only by the owner''s retention command (npm run db:retention)';
END;
$$;--> statement-breakpoint
ALTER FUNCTION refuse_history_rewrite() OWNER TO netops_owner;--> statement-breakpoint
CREATE TRIGGER "asset_events_append_only" BEFORE UPDATE OR DELETE ON "asset_events" FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "asset_events_no_truncate" BEFORE TRUNCATE ON "asset_events" FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "ops_events_append_only" BEFORE UPDATE OR DELETE ON "ops_events" FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "ops_events_no_truncate" BEFORE TRUNCATE ON "ops_events" FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "spare_part_movements_append_only" BEFORE UPDATE OR DELETE ON "spare_part_movements" FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "spare_part_movements_no_truncate" BEFORE TRUNCATE ON "spare_part_movements" FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "usage_logs_append_only" BEFORE UPDATE OR DELETE ON "usage_logs" FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "usage_logs_no_truncate" BEFORE TRUNCATE ON "usage_logs" FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "audit_logs_append_only" BEFORE UPDATE OR DELETE ON "audit_logs" FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
CREATE TRIGGER "audit_logs_no_truncate" BEFORE TRUNCATE ON "audit_logs" FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();--> statement-breakpoint
-- A history row is dated by the database: for every session but an owner's (imports, retention
-- tests), created_at is now() whatever the INSERT says, so the application cannot add a backdated
-- event any more than it can change an old one.
CREATE OR REPLACE FUNCTION stamp_history_created_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_has_role(session_user, 'netops_owner', 'MEMBER') THEN
    NEW.created_at := now();
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
ALTER FUNCTION stamp_history_created_at() OWNER TO netops_owner;--> statement-breakpoint
CREATE TRIGGER "asset_events_stamp_created_at" BEFORE INSERT ON "asset_events" FOR EACH ROW EXECUTE FUNCTION stamp_history_created_at();--> statement-breakpoint
CREATE TRIGGER "ops_events_stamp_created_at" BEFORE INSERT ON "ops_events" FOR EACH ROW EXECUTE FUNCTION stamp_history_created_at();--> statement-breakpoint
CREATE TRIGGER "spare_part_movements_stamp_created_at" BEFORE INSERT ON "spare_part_movements" FOR EACH ROW EXECUTE FUNCTION stamp_history_created_at();--> statement-breakpoint
CREATE TRIGGER "usage_logs_stamp_created_at" BEFORE INSERT ON "usage_logs" FOR EACH ROW EXECUTE FUNCTION stamp_history_created_at();--> statement-breakpoint
CREATE TRIGGER "audit_logs_stamp_created_at" BEFORE INSERT ON "audit_logs" FOR EACH ROW EXECUTE FUNCTION stamp_history_created_at();--> statement-breakpoint
-- updated_at is the database's: replaces 0002's set_updated_at(). For every session but an owner's,
-- the trigger overwrites whatever the UPDATE wrote; an owner's UPDATE that sets updated_at itself (an
-- import keeping original timestamps) keeps it. Decided by role membership, not a session setting:
-- any login can SET a setting, only the owner's login is a member of netops_owner.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
     OR NOT pg_has_role(session_user, 'netops_owner', 'MEMBER') THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;
