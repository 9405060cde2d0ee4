-- Reverse of roles_grants_append_only. The three group roles are NOT dropped: roles are cluster-wide
-- and other databases on the server (or db:roles' login users) may use them; `DROP ROLE` them by hand
-- once no database references them. Objects go back to the role running the rollback (the owner they
-- had before is not recorded; it was the migrating role). CREATE on public is not given back to
-- PUBLIC: PostgreSQL 15 does not grant it, and a database that had it should not get it back.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
DROP TRIGGER "asset_events_append_only" ON "asset_events";--> statement-breakpoint
DROP TRIGGER "asset_events_no_truncate" ON "asset_events";--> statement-breakpoint
DROP TRIGGER "ops_events_append_only" ON "ops_events";--> statement-breakpoint
DROP TRIGGER "ops_events_no_truncate" ON "ops_events";--> statement-breakpoint
DROP TRIGGER "spare_part_movements_append_only" ON "spare_part_movements";--> statement-breakpoint
DROP TRIGGER "spare_part_movements_no_truncate" ON "spare_part_movements";--> statement-breakpoint
DROP TRIGGER "usage_logs_append_only" ON "usage_logs";--> statement-breakpoint
DROP TRIGGER "usage_logs_no_truncate" ON "usage_logs";--> statement-breakpoint
DROP TRIGGER "audit_logs_append_only" ON "audit_logs";--> statement-breakpoint
DROP TRIGGER "audit_logs_no_truncate" ON "audit_logs";--> statement-breakpoint
DROP FUNCTION refuse_history_rewrite();--> statement-breakpoint
DROP TRIGGER "asset_events_stamp_created_at" ON "asset_events";--> statement-breakpoint
DROP TRIGGER "ops_events_stamp_created_at" ON "ops_events";--> statement-breakpoint
DROP TRIGGER "spare_part_movements_stamp_created_at" ON "spare_part_movements";--> statement-breakpoint
DROP TRIGGER "usage_logs_stamp_created_at" ON "usage_logs";--> statement-breakpoint
DROP TRIGGER "audit_logs_stamp_created_at" ON "audit_logs";--> statement-breakpoint
DROP FUNCTION stamp_history_created_at();--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM netops_app, netops_readonly;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM netops_app, netops_readonly;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE netops_owner IN SCHEMA public REVOKE ALL ON SEQUENCES FROM netops_app, netops_readonly;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE netops_owner IN SCHEMA public REVOKE ALL ON TABLES FROM netops_app, netops_readonly;--> statement-breakpoint
DO $$
BEGIN
  IF to_regclass('drizzle.__drizzle_migrations') IS NOT NULL THEN
    REVOKE ALL ON drizzle.__drizzle_migrations FROM netops_app, netops_readonly;
    REVOKE ALL ON SCHEMA drizzle FROM netops_app, netops_readonly;
  END IF;
END
$$;--> statement-breakpoint
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM netops_app, netops_readonly;--> statement-breakpoint
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM netops_app, netops_readonly;--> statement-breakpoint
REVOKE ALL ON SCHEMA public FROM netops_app, netops_readonly, netops_owner;--> statement-breakpoint
DO $$
DECLARE
  o record;
BEGIN
  FOR o IN
    SELECT c.oid::regclass AS name, c.relkind
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND c.relowner = 'netops_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, o.name, current_user);
  END LOOP;
  FOR o IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = 'netops_owner'::regrole
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', o.name, current_user);
  END LOOP;
END
$$;
