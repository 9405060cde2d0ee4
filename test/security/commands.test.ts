/** The npm scripts db:roles, db:rotate-key and db:retention as processes: output, exit codes, one-line errors. */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { maintenance } from "../../src/migrate/server.js";
import { cli } from "../migrate/support.js";
import { backend, createTestDatabase, onServer, type TestDatabase } from "../support/test-db.js";

const appUser = `netops_sec_test_${randomBytes(4).toString("hex")}_cli`;

describe.skipIf(!onServer())("security commands (server)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    const b = backend();
    if (b.kind === "server") await maintenance(b.adminUrl, [`DROP ROLE IF EXISTS "${appUser}"`]);
  });

  it("db:roles creates a login user with its password, prints it, and a second run prints exists", async () => {
    const env = { DATABASE_URL: t.url, NETOPS_APP_PASSWORD: "s3cret-pw" };
    const first = await cli(["roles", "--app-user", appUser], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`created +${appUser} \\(login, member of netops_app\\)`));
    expect(first.stdout).toMatch(new RegExp(`password set +${appUser}`));
    expect(first.stdout).not.toContain("s3cret-pw");
    const [r] = await rows<{ login: boolean; member: boolean; has_password: boolean }>(
      t.db,
      sql`SELECT rolcanlogin AS login, pg_has_role(${appUser}, 'netops_app', 'MEMBER') AS member,
                 rolpassword LIKE 'SCRAM-SHA-256$%' AS has_password
            FROM pg_authid WHERE rolname = ${appUser}`,
    );
    expect(r).toEqual({ login: true, member: true, has_password: true });
    const second = await cli(["roles", "--app-user", appUser], { DATABASE_URL: t.url });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/created|granted|password set/);
    expect(second.stdout.match(/exists/g)).toHaveLength(4);
  });

  it("db:rotate-key without NETOPS_ENCRYPTION_KEY: exit 1, one error line", async () => {
    const r = await cli(["rotate-key"], { DATABASE_URL: t.url, NETOPS_ENCRYPTION_KEY: "" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "error: NETOPS_ENCRYPTION_KEY is not set: no key to encrypt or decrypt secrets with",
    );
  });

  it("db:retention: usage error exit 2 for a bad age; deletes and records as the (superuser) owner", async () => {
    expect(
      (await cli(["retention", "--table", "usage_logs", "--older-than", "soon"], { DATABASE_URL: t.url }))
        .code,
    ).toBe(2);
    await t.db.execute(
      sql`INSERT INTO usage_logs (user_id, tier, created_at) VALUES ('u', 0, now() - interval '3 years')`,
    );
    const r = await cli(["retention", "--table", "usage_logs", "--older-than", "2y"], {
      DATABASE_URL: t.url,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/usage_logs: deleted 1 row\(s\) created before .* \(recorded in audit_logs\)/);
    const bad = await cli(["retention", "--table", "spare_part_movements", "--older-than", "1y"], {
      DATABASE_URL: t.url,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: no retention for spare_part_movements/);
  });
});
