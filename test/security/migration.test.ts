/**
 * The roles migration where the group roles do not exist yet (a fresh server, a managed service,
 * PGlite): it creates them; where the migrating role may not create them it fails with what to do.
 * The shared test server already has netops_owner/app/readonly, so the server cases run the
 * migration's own SQL with the three names replaced by names unique to this run (dropped at the end).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, rows } from "../../src/db.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { maintenance } from "../../src/migrate/server.js";
import { pgErrorOf } from "../support/rows.js";
import { backend, createEmptyDatabase, onServer } from "../support/test-db.js";

const journal = readJournal();
const rolesMigration = journal.find((m) => m.tag.endsWith("_roles_grants_append_only"));
if (!rolesMigration) throw new Error("no *_roles_grants_append_only migration in the journal");
const before = journal[rolesMigration.idx - 1]?.tag ?? "";

const suffix = randomBytes(4).toString("hex");
const renamed = {
  netops_owner: `netops_sec_test_${suffix}_owner`,
  netops_app: `netops_sec_test_${suffix}_app`,
  netops_readonly: `netops_sec_test_${suffix}_ro`,
};
const nocreate = `netops_sec_test_${suffix}_nocreate`;
/** The migration's statements for roles named `renamed` (every mention, function bodies included). */
const rewritten = rolesMigration.statements.map((s) =>
  s.replace(/\bnetops_(owner|app|readonly)\b/g, (name) => renamed[name as keyof typeof renamed]),
);

describe.skipIf(!onServer())("on a server where the roles do not exist", () => {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
    const b = backend();
    if (b.kind === "server")
      await maintenance(
        b.adminUrl,
        [...Object.values(renamed), nocreate].map((r) => `DROP ROLE IF EXISTS "${r}"`),
      );
  });

  it("creates the group roles (NOLOGIN), gives them the schema and grants", async () => {
    const empty = await createEmptyDatabase("sec_mig");
    dbs.push(empty);
    const h = await createDb({ url: empty.url, max: 1 });
    try {
      await migrate(h.db, { to: before });
      await h.db.transaction(async (tx) => {
        for (const s of rewritten) await tx.execute(sql.raw(s));
      });
      const roles = await rows<{ rolname: string; rolcanlogin: boolean }>(
        h.db,
        sql`SELECT rolname::text, rolcanlogin FROM pg_roles WHERE rolname LIKE ${`netops_sec_test_${suffix}_%`} ORDER BY 1`,
      );
      expect(roles).toEqual(
        Object.values(renamed)
          .sort()
          .map((rolname) => ({ rolname, rolcanlogin: false })),
      );
      const [g] = await rows<Record<string, unknown>>(
        h.db,
        sql`SELECT pg_get_userbyid(relowner)::text AS owner,
                   has_table_privilege(${renamed.netops_app}, 'asset_events', 'INSERT') AS app_insert,
                   has_table_privilege(${renamed.netops_app}, 'asset_events', 'UPDATE') AS app_update,
                   has_table_privilege(${renamed.netops_app}, 'vendors', 'DELETE') AS app_delete_vendors,
                   has_table_privilege(${renamed.netops_readonly}, 'vendors', 'INSERT') AS ro_insert,
                   has_table_privilege(${renamed.netops_readonly}, 'vendors', 'SELECT') AS ro_select
              FROM pg_class WHERE oid = 'asset_events'::regclass`,
      );
      expect(g).toEqual({
        owner: renamed.netops_owner,
        app_insert: true,
        app_update: false,
        app_delete_vendors: true,
        ro_insert: false,
        ro_select: true,
      });
    } finally {
      await h.close();
    }
  });

  it("fails with what to do when the migrating role may not create roles, and changes nothing", async () => {
    const empty = await createEmptyDatabase("sec_mig");
    dbs.push(empty);
    const b = backend();
    if (b.kind !== "server") return;
    await maintenance(b.adminUrl, [`CREATE ROLE "${nocreate}" LOGIN`]);
    const url = new URL(empty.url);
    url.username = nocreate;
    const h = await createDb({ url: url.toString(), max: 1 });
    try {
      const missing =
        rewritten[0]?.replace(
          new RegExp(`netops_sec_test_${suffix}_`, "g"),
          `netops_sec_test_${suffix}_x_`,
        ) ?? "";
      const e = (await pgErrorOf(h.db.execute(sql.raw(missing)))) as
        | { message: string; hint?: string }
        | undefined;
      expect(e?.message).toMatch(
        new RegExp(`role netops_sec_test_${suffix}_x_owner does not exist and ${nocreate} may not create it`),
      );
      expect(e?.hint).toMatch(/npm run db:roles/);
      const [n] = await rows<{ n: number }>(
        h.db,
        sql`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE ${`netops_sec_test_${suffix}_x_%`}`,
      );
      expect(n?.n).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe("PGlite (embedded, single user)", () => {
  it("the migration creates the roles there too; privileges apply under SET ROLE, the triggers see the superuser", async () => {
    const h = await createDb({ dataDir: "memory://" });
    try {
      await migrate(h.db);
      const r = await rows<{ rolname: string }>(
        h.db,
        sql`SELECT rolname::text FROM pg_roles WHERE rolname IN ('netops_owner', 'netops_app', 'netops_readonly') AND NOT rolcanlogin ORDER BY 1`,
      );
      expect(r.map((x) => x.rolname)).toEqual(["netops_app", "netops_owner", "netops_readonly"]);
      await h.db.execute(sql`INSERT INTO audit_logs (action) VALUES ('x')`);
      await h.db.execute(sql`SET ROLE netops_app`);
      await h.db.execute(sql`INSERT INTO audit_logs (action) VALUES ('y')`);
      expect((await pgErrorOf(h.db.execute(sql`UPDATE audit_logs SET action = 'z'`)))?.code).toBe("42501");
      expect((await pgErrorOf(h.db.execute(sql`CREATE TABLE x (id int)`)))?.code).toBe("42501");
      await h.db.execute(sql`RESET ROLE`);
      // The session's login is PGlite's superuser: the owner, so the triggers let it through.
      await h.db.execute(sql`UPDATE audit_logs SET action = 'z'`);
    } finally {
      await h.close();
    }
  });
});
