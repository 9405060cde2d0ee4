/** createDb(): driver choice and one-line connection errors that never print a password. */

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, redactUrl, rows } from "../src/db.js";
import { DatabaseConnectionError } from "../src/errors/index.js";
import { migrate } from "../src/migrate/runner.js";
import { cmdbCiAttrValues, cmdbCis, cmdbCiTypes } from "../src/schema/index.js";
import { makeRow } from "./support/rows.js";
import { backend, createTestDatabase } from "./support/test-db.js";

async function connectionError(url: string): Promise<Error> {
  const error = await createDb({ url }).then(
    (h) => h.close().then(() => undefined),
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error(`expected ${url} to fail`);
  return error;
}

describe("connection errors are one clear line", () => {
  it("refused port", async () => {
    const error = await connectionError("postgres://postgres:s3cret@127.0.0.1:1/db");
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect(error.message).toBe(
      "Cannot connect to PostgreSQL at postgres://postgres:***@127.0.0.1:1/db: connection refused (is the server running?)",
    );
    expect(error.message).not.toContain("s3cret");
  });

  it("not a URL / wrong scheme", async () => {
    expect((await connectionError("not a url")).message).toMatch(/not a valid URL/);
    expect((await connectionError("mysql://root@localhost/x")).message).toMatch(
      /must start with postgres:\/\/ or postgresql:\/\//,
    );
  });

  it.runIf(backend().kind === "server")("missing database", async () => {
    const b = backend();
    if (b.kind !== "server") return;
    const url = new URL(b.adminUrl);
    url.pathname = "/netops_does_not_exist";
    const error = await connectionError(url.toString());
    expect(error.message).toMatch(/: database does not exist$/);
    expect(error.message.split("\n")).toHaveLength(1);
  });
});

it("redactUrl hides only the password", () => {
  expect(redactUrl("postgres://u:p@h:5432/d?sslmode=require")).toBe(
    "postgres://u:***@h:5432/d?sslmode=require",
  );
  expect(redactUrl("postgres://u@h/d")).toBe("postgres://u@h/d");
});

it("an explicit dataDir selects PGlite even when DATABASE_URL is set", async () => {
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/none";
  try {
    const handle = await createDb({ dataDir: "memory://" });
    expect(handle.driver).toBe("pglite");
    const [row] = await rows<{ v: string }>(handle.db, sql`SELECT current_setting('server_version') AS v`);
    expect(row?.v).toMatch(/^\d+/);
    await handle.close();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
});

describe("jsonb values read back exactly as written", () => {
  // Both drivers parse JSON and drizzle's jsonb column parsed again what was still a string, so the
  // JSON string "12" came back as the number 12 (and "true" as true) before createDb() fixed it.
  const values = ["12", "true", "null", "{}", 12, true, null, { a: [1, "2"] }, ["x"], ""];

  it.each([
    ["the test backend", async () => createTestDatabase()],
    [
      "PGlite",
      async () =>
        createDb({ dataDir: "memory://" }).then(async (h) => {
          await migrate(h.db);
          return h;
        }),
    ],
  ])("on %s", async (_label, open) => {
    const handle = await open();
    try {
      const type = await makeRow(handle.db, cmdbCiTypes);
      const ci = await makeRow(handle.db, cmdbCis, { typeId: type.id });
      const inserted = await handle.db
        .insert(cmdbCiAttrValues)
        .values(values.map((value, i) => ({ ciId: ci.id as string, key: `k${i}`, value })))
        .returning();
      const read = await handle.db.select().from(cmdbCiAttrValues).orderBy(cmdbCiAttrValues.key);
      const byKey = (rowsRead: { key: string; value: unknown }[]) =>
        Object.fromEntries(rowsRead.map((r) => [r.key, r.value]));
      const expected = Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
      expect(byKey(inserted)).toEqual(expected);
      expect(byKey(read)).toEqual(expected);
    } finally {
      await handle.close();
    }
  });
});
