/**
 * Login sessions. Only SHA-256 digests of the access and refresh tokens are stored (the columns
 * keep their documented names); the plaintext tokens are returned once, at creation, and a leaked
 * sessions table therefore yields no usable token.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { parseInput, withDbErrors } from "../../errors/index.js";
import { type Session, sessions } from "../../schema/core/index.js";
import { createSessionInput, revokeSessionInput, sessionTokenInput } from "../../validation/core/schemas.js";
import { preparedPer } from "../shared/prepared.js";
import { one } from "../shared/rows.js";

/** Hex SHA-256 of a token: what the token and refresh_token columns hold. */
export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** 256 random bits, base64url. */
const newToken = () => randomBytes(32).toString("base64url");

export type CreateSessionInput = z.input<typeof createSessionInput>;

export interface CreatedSession {
  session: Session;
  /** Plaintext tokens: hand them to the client now; they are not stored and cannot be read back. */
  token: string;
  refreshToken: string;
}

export async function createSession(db: DbOrTx, input: CreateSessionInput): Promise<CreatedSession> {
  const q = parseInput(createSessionInput, input);
  const token = q.token ?? newToken();
  const refreshToken = q.refreshToken ?? newToken();
  return withDbErrors("createSession", async () => {
    const session = one(
      await db
        .insert(sessions)
        .values({
          userId: q.userId,
          token: hashToken(token),
          refreshToken: hashToken(refreshToken),
          expiresAt: sql`now() + make_interval(secs => ${q.ttlSeconds}::int)`,
          refreshExpiresAt: sql`now() + make_interval(secs => ${q.refreshTtlSeconds}::int)`,
          ipAddress: q.ipAddress ?? null,
          userAgent: q.userAgent ?? null,
          lastActivityAt: sql`now()`,
        })
        .returning(),
    );
    return { session: session, token, refreshToken };
  });
}

const validByToken = preparedPer(
  "session_by_token",
  (db, name) =>
    db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.token, sql.placeholder("digest")),
          eq(sessions.isRevoked, false),
          gt(sessions.expiresAt, sql`now()`),
        ),
      )
      .prepare(name),
  { read: false }, // read your own writes: a session created a moment ago must validate, and a replica may lag
);

/** Hot path (prepared, served by the unique index on token): the valid session of a token, or null. */
export async function findValidSession(db: DbOrTx, input: { token: string }): Promise<Session | null> {
  const { token } = parseInput(sessionTokenInput, input);
  const [row] = await withDbErrors("findValidSession", () =>
    validByToken(db).execute({ digest: hashToken(token) }),
  );
  return row ?? null;
}

/** Revoke by id or by token; true when a session was revoked now, false when none matched or it already was. */
export async function revokeSession(
  db: DbOrTx,
  input: { sessionId: string } | { token: string },
): Promise<boolean> {
  const q = parseInput(revokeSessionInput, input);
  const match = "sessionId" in q ? eq(sessions.id, q.sessionId) : eq(sessions.token, hashToken(q.token));
  const revoked = await withDbErrors("revokeSession", () =>
    db
      .update(sessions)
      .set({ isRevoked: true })
      .where(and(match, eq(sessions.isRevoked, false)))
      .returning({ id: sessions.id }),
  );
  return revoked.length > 0;
}
