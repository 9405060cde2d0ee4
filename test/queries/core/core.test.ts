/** Core: sessions stored as SHA-256 digests only; usage logs rolled up into user_token_stats. */
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../../src/db.js";
import { ForeignKeyViolationError, ValidationError } from "../../../src/errors/index.js";
import { createSession, findValidSession, recordUsage, revokeSession } from "../../../src/queries/index.js";
import { sessions, users, userTokenStats } from "../../../src/schema/index.js";
import { makeRow } from "../../support/rows.js";
import { onServer, useTestDatabase } from "../../support/test-db.js";

const t = useTestDatabase();
let userId: string;
beforeAll(async () => {
  userId = String((await makeRow(t.db, users)).id);
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("sessions", () => {
  it("stores only SHA-256 digests of both tokens and finds the session by the plaintext token", async () => {
    const { session, token, refreshToken } = await createSession(t.db, {
      userId,
      ipAddress: "10.0.0.9",
      userAgent: "cli",
    });
    expect(token).not.toBe(refreshToken);
    expect(session.token).toBe(sha256(token));
    expect(session.refreshToken).toBe(sha256(refreshToken));
    // Nowhere in the row is a plaintext token.
    const [raw] = await rows<Record<string, unknown>>(
      t.db,
      sql`SELECT * FROM sessions WHERE id = ${session.id}`,
    );
    expect(JSON.stringify(raw)).not.toContain(token);
    expect(JSON.stringify(raw)).not.toContain(refreshToken);
    expect(session.expiresAt.getTime()).toBeGreaterThan(session.createdAt.getTime());
    expect(session.refreshExpiresAt.getTime()).toBeGreaterThan(session.expiresAt.getTime());

    expect((await findValidSession(t.db, { token }))?.id).toBe(session.id);
    // The digest itself is not a token.
    expect(await findValidSession(t.db, { token: session.token })).toBeNull();
    expect(await findValidSession(t.db, { token: refreshToken })).toBeNull();
  });

  it("accepts caller-supplied tokens", async () => {
    const { session, token } = await createSession(t.db, {
      userId,
      token: "jwt.abc.def",
      refreshToken: "r-123",
    });
    expect(token).toBe("jwt.abc.def");
    expect(session.token).toBe(sha256("jwt.abc.def"));
  });

  it("does not find an expired or a revoked session", async () => {
    const { session, token } = await createSession(t.db, { userId });
    await t.db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, session.id));
    expect(await findValidSession(t.db, { token })).toBeNull();

    const live = await createSession(t.db, { userId });
    expect(await revokeSession(t.db, { token: live.token })).toBe(true);
    expect(await findValidSession(t.db, { token: live.token })).toBeNull();
    expect(await revokeSession(t.db, { token: live.token })).toBe(false);

    const byId = await createSession(t.db, { userId });
    expect(await revokeSession(t.db, { sessionId: byId.session.id })).toBe(true);
    expect(await findValidSession(t.db, { token: byId.token })).toBeNull();
  });

  it("refuses bad input and unknown users", async () => {
    await expect(createSession(t.db, { userId: "x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(createSession(t.db, { userId, ipAddress: "999.1.1.1" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      createSession(t.db, { userId: "0f1e2d3c-4b5a-4978-8b6a-5c4d3e2f1a0b" }),
    ).rejects.toBeInstanceOf(ForeignKeyViolationError);
    await expect(findValidSession(t.db, { token: "" })).rejects.toBeInstanceOf(ValidationError);
    await expect(revokeSession(t.db, {} as { token: string })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("usage", () => {
  const base = { userId: "user-42", modelId: "openai/gpt-4o-mini", provider: "openai", tier: 1 };

  it("logs each call and adds it into the day's user_token_stats row", async () => {
    const first = await recordUsage(t.db, {
      ...base,
      promptTokens: 100,
      completionTokens: 50,
      totalCost: "0.0015",
      newConversation: true,
    });
    expect(first.log).toMatchObject({ totalTokens: 150, modelId: base.modelId, tier: 1 });
    expect(first.stats).toMatchObject({ totalTokens: 150, messageCount: 1, conversationCount: 1 });
    const second = await recordUsage(t.db, {
      ...base,
      promptTokens: 10,
      completionTokens: 5,
      totalCost: "0.0001",
    });
    expect(second.stats).toMatchObject({ totalTokens: 165, messageCount: 2, conversationCount: 1 });
    expect(Number(second.stats.totalCost)).toBeCloseTo(0.0016, 6);
    expect(second.stats.date).toBe(first.log.createdAt.toISOString().slice(0, 10));
    // Another provider or model is another row.
    await recordUsage(t.db, { ...base, provider: "azure", promptTokens: 1 });
    const all = await t.db.select().from(userTokenStats).where(eq(userTokenStats.userId, base.userId));
    expect(all).toHaveLength(2);
  });

  it("refuses bad input", async () => {
    await expect(recordUsage(t.db, { ...base, tier: 7 })).rejects.toBeInstanceOf(ValidationError);
    await expect(recordUsage(t.db, { ...base, promptTokens: -1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it.skipIf(!onServer())(
    "concurrent roll-ups lose no increment (server only: four connections)",
    async () => {
      const clients = await Promise.all([1, 2, 3, 4].map(() => t.connect(1)));
      const user = { ...base, userId: "user-concurrent" };
      try {
        await Promise.all(
          clients.map(async (c) => {
            for (let i = 0; i < 25; i++)
              await recordUsage(c.db, { ...user, promptTokens: 2, completionTokens: 1 });
          }),
        );
        const [stats] = await t.db
          .select()
          .from(userTokenStats)
          .where(eq(userTokenStats.userId, user.userId));
        expect(stats).toMatchObject({ totalTokens: 300, messageCount: 100 });
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    },
  );
});
