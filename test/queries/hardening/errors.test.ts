/**
 * Item 6: no error leaving an operation is drizzle's DrizzleQueryError (its message and JSON carry
 * the SQL and every parameter); an unmapped SQLSTATE becomes a DatabaseError naming the SQLSTATE and
 * the operation; deadlocks and serialization failures are retryable; timeouts are TimeoutErrors.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../../src/db.js";
import { DatabaseError, NetOpsError, toDbError } from "../../../src/errors/index.js";
import { createAsset, createLocation, moveAsset } from "../../../src/queries/assets/index.js";
import { createSession } from "../../../src/queries/core/index.js";
import { users } from "../../../src/schema/index.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";

const t = useTestDatabase();

const uniq = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

describe("database errors leave the package typed and without parameters", () => {
  it("an unmapped SQLSTATE in createSession: DatabaseError with SQLSTATE and operation, no token digest, no user agent", async () => {
    const [user] = await t.db
      .insert(users)
      .values({ email: `${uniq("u")}@example.com`, name: "u", passwordHash: "x" })
      .returning();
    const err = await t.db
      .transaction(async (tx) => {
        // The column the operation writes is gone: PostgreSQL answers 42703 (undefined_column).
        await tx.execute(sql`ALTER TABLE sessions RENAME COLUMN user_agent TO user_agent_gone`);
        await createSession(tx as unknown as Database, {
          userId: user!.id,
          token: "caller-token-value",
          userAgent: "Agent/secret-ua",
          ipAddress: "203.0.113.9",
        });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({ sqlState: "42703", operation: "createSession", retryable: false });
    const shown = `${(err as Error).message} ${JSON.stringify(err)} ${String(err)}`;
    expect(shown).not.toMatch(/secret-ua|203\.0\.113\.9|caller-token-value|[0-9a-f]{64}|insert into/i);
  });

  it("toDbError never returns drizzle's wrapper, whatever it wraps", async () => {
    const raw = await t.db.execute(sql`SELECT 1/0`).catch((e: unknown) => e);
    expect(raw?.constructor?.name).toBe("DrizzleQueryError");
    const typed = toDbError(raw, "someOperation");
    expect(typed).toBeInstanceOf(NetOpsError);
    expect(typed).toMatchObject({ sqlState: "22012", operation: "someOperation" });
  });

  it.runIf(onServer())(
    "a deadlock between two operations: the loser gets a retryable DatabaseError (40P01)",
    async () => {
      const room = await createLocation(t.db, { name: uniq("room") });
      const other = await createLocation(t.db, { name: uniq("other") });
      const a1 = await createAsset(t.db, { assetCode: uniq("DL"), locationId: room.id });
      const a2 = await createAsset(t.db, { assetCode: uniq("DL"), locationId: room.id });
      const [c1, c2] = await Promise.all([t.connect(1), t.connect(1)]);
      const crosswise = (c: { db: Database }, first: string, second: string) =>
        c.db.transaction(async (tx) => {
          await moveAsset(tx as unknown as Database, { assetId: first, locationId: other.id });
          await new Promise((r) => setTimeout(r, 300));
          await moveAsset(tx as unknown as Database, { assetId: second, locationId: other.id });
        });
      try {
        const results = await Promise.allSettled([crosswise(c1, a1.id, a2.id), crosswise(c2, a2.id, a1.id)]);
        const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(DatabaseError);
        expect(lost.reason).toMatchObject({ sqlState: "40P01", operation: "moveAsset", retryable: true });
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      } finally {
        await Promise.all([c1.close(), c2.close()]);
      }
    },
  );
});
