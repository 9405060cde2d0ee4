/**
 * ai_providers.api_key at rest (issue 14 item 4): AES-256-GCM envelopes, keys from
 * NETOPS_ENCRYPTION_KEY, plaintext only through getProviderApiKey, rotation in one transaction.
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { NotFoundError } from "../../src/errors/index.js";
import { aiProviders } from "../../src/schema/index.js";
import {
  decryptSecret,
  EncryptionKeyError,
  encryptSecret,
  envelopeKeyId,
  getProviderApiKey,
  keyringFromEnv,
  parseKeyring,
  rotateProviderApiKeys,
  SecretDecryptionError,
  setProviderApiKey,
} from "../../src/security/secrets.js";
import { useTestDatabase } from "../support/test-db.js";

const key = () => randomBytes(32).toString("base64");
const k1 = `k1:${key()}`;
const k2 = `k2:${key()}`;
const SECRET = "sk-test-0123456789abcdef";

describe("keyring", () => {
  it("parses newest first", () => {
    expect(parseKeyring(`${k2},${k1}`).keys.map((k) => k.id)).toEqual(["k2", "k1"]);
  });
  it.each([
    ["unset", undefined, /NETOPS_ENCRYPTION_KEY is not set/],
    ["empty", " ", /NETOPS_ENCRYPTION_KEY is not set/],
    ["no id", key(), /expected <keyId>:<base64 key>/],
    ["short key", `k1:${randomBytes(16).toString("base64")}`, /expected 32 bytes/],
    ["not base64", `k1:${"x".repeat(44)}`, /expected 32 bytes/],
    ["duplicate id", `${k1},k1:${key()}`, /appears twice/],
  ])("refuses %s with a message that does not echo the key", (_, value, message) => {
    let error: unknown;
    try {
      parseKeyring(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EncryptionKeyError);
    expect((error as Error).message).toMatch(message);
    if (value)
      for (const part of value.split(",")) expect((error as Error).message).not.toContain(part.split(":")[1]);
  });
});

describe("envelope", () => {
  const ring = parseKeyring(k1);
  it("is v1:<keyId>:<iv>:<tag>:<ciphertext>, random per write, and round-trips", () => {
    const a = encryptSecret(SECRET, "ctx", ring);
    const b = encryptSecret(SECRET, "ctx", ring);
    expect(a).toMatch(/^v1:k1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
    expect(decryptSecret(a, "ctx", ring)).toBe(SECRET);
  });
  it("a different key under the same id fails authentication", () => {
    const a = encryptSecret(SECRET, "ctx", ring);
    expect(() => decryptSecret(a, "ctx", parseKeyring(`k1:${key()}`))).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(a, "ctx", parseKeyring(`k1:${key()}`))).toThrow(/authentication failed/);
  });
  it("an unknown key id is named", () => {
    const a = encryptSecret(SECRET, "ctx", ring);
    expect(() => decryptSecret(a, "ctx", parseKeyring(k2))).toThrow(
      /encrypted with key k1, which NETOPS_ENCRYPTION_KEY does not hold/,
    );
  });
  it.each([
    ["ciphertext", 4],
    ["tag", 3],
    ["iv", 2],
  ])("a flipped bit in the %s fails authentication", (_, index) => {
    const parts = encryptSecret(SECRET, "ctx", ring).split(":");
    const bytes = Buffer.from(parts[index] ?? "", "base64");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    parts[index] = bytes.toString("base64");
    expect(() => decryptSecret(parts.join(":"), "ctx", ring)).toThrow(SecretDecryptionError);
  });
  it("is bound to its context (a value moved to another row does not decrypt)", () => {
    const a = encryptSecret(SECRET, "ai_providers.api_key:openai", ring);
    expect(() => decryptSecret(a, "ai_providers.api_key:anthropic", ring)).toThrow(/authentication failed/);
  });
});

describe("ai_providers.api_key in the database", () => {
  const t = useTestDatabase();
  const saved = process.env.NETOPS_ENCRYPTION_KEY;
  afterAll(() => {
    if (saved === undefined) delete process.env.NETOPS_ENCRYPTION_KEY;
    else process.env.NETOPS_ENCRYPTION_KEY = saved;
  });
  beforeEach(async () => {
    process.env.NETOPS_ENCRYPTION_KEY = k1;
    await t.db.delete(aiProviders);
    await t.db.insert(aiProviders).values([
      { id: "p1", name: "one" },
      { id: "p2", name: "two" },
      { id: "p3", name: "three" },
    ]);
  });

  it("stores ciphertext: default reads (db.query, select *) never hold the plaintext", async () => {
    await setProviderApiKey(t.db, "p1", SECRET);
    const viaQuery = await t.db.query.aiProviders.findFirst({ where: eq(aiProviders.id, "p1") });
    expect(viaQuery?.apiKey).toMatch(/^v1:k1:/);
    const raw = await rows<{ api_key: string }>(t.db, sql`SELECT * FROM ai_providers WHERE id = 'p1'`);
    expect(JSON.stringify(raw)).not.toContain(SECRET);
    expect(await getProviderApiKey(t.db, "p1")).toBe(SECRET);
    expect(await getProviderApiKey(t.db, "p2")).toBeNull();
  });

  it("writing without a configured key is refused with a typed error, and nothing is written", async () => {
    delete process.env.NETOPS_ENCRYPTION_KEY;
    await expect(setProviderApiKey(t.db, "p1", SECRET)).rejects.toBeInstanceOf(EncryptionKeyError);
    await expect(setProviderApiKey(t.db, "p1", SECRET)).rejects.toThrow("NETOPS_ENCRYPTION_KEY is not set");
    const [row] = await t.db.select().from(aiProviders).where(eq(aiProviders.id, "p1"));
    expect(row?.apiKey).toBeNull();
  });

  it("an unknown provider is NotFoundError", async () => {
    await expect(setProviderApiKey(t.db, "nope", SECRET)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getProviderApiKey(t.db, "nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reading with the wrong key fails, naming the provider", async () => {
    await setProviderApiKey(t.db, "p1", SECRET);
    await expect(getProviderApiKey(t.db, "p1", parseKeyring(`k1:${key()}`))).rejects.toThrow(
      /ai_providers.api_key:p1: authentication failed/,
    );
  });

  it("a tampered value in the column fails authentication", async () => {
    await setProviderApiKey(t.db, "p1", SECRET);
    const [row] = await t.db.select().from(aiProviders).where(eq(aiProviders.id, "p1"));
    const parts = (row?.apiKey ?? "").split(":");
    const data = Buffer.from(parts[4] ?? "", "base64");
    data[0] = (data[0] ?? 0) ^ 0xff;
    parts[4] = data.toString("base64");
    await t.db
      .update(aiProviders)
      .set({ apiKey: parts.join(":") })
      .where(eq(aiProviders.id, "p1"));
    await expect(getProviderApiKey(t.db, "p1")).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  it("rotation re-encrypts every row to the newest key (and encrypts legacy plaintext); the old key can then go", async () => {
    await setProviderApiKey(t.db, "p1", SECRET);
    await setProviderApiKey(t.db, "p2", "second");
    await t.db.update(aiProviders).set({ apiKey: "legacy-plaintext" }).where(eq(aiProviders.id, "p3"));
    process.env.NETOPS_ENCRYPTION_KEY = `${k2},${k1}`;
    expect(await rotateProviderApiKeys(t.db)).toEqual({ reencrypted: 2, current: 0, encryptedPlaintext: 1 });
    const stored = await t.db.select().from(aiProviders).orderBy(aiProviders.id);
    expect(stored.map((r) => envelopeKeyId(r.apiKey ?? ""))).toEqual(["k2", "k2", "k2"]);
    process.env.NETOPS_ENCRYPTION_KEY = k2; // k1 retired
    expect(await getProviderApiKey(t.db, "p1")).toBe(SECRET);
    expect(await getProviderApiKey(t.db, "p2")).toBe("second");
    expect(await getProviderApiKey(t.db, "p3")).toBe("legacy-plaintext");
    expect(await rotateProviderApiKeys(t.db)).toEqual({ reencrypted: 0, current: 3, encryptedPlaintext: 0 });
  });

  it("rotation is all or nothing: a row no configured key opens aborts it and changes nothing", async () => {
    await setProviderApiKey(t.db, "p1", SECRET);
    await setProviderApiKey(t.db, "p2", "second", parseKeyring(`kx:${key()}`)); // a key nobody has any more
    const before = await t.db.select().from(aiProviders).orderBy(aiProviders.id);
    await expect(
      rotateProviderApiKeys(t.db, keyringFromEnv({ NETOPS_ENCRYPTION_KEY: `${k2},${k1}` })),
    ).rejects.toThrow(/ai_providers.api_key:p2: encrypted with key kx/);
    const after = await t.db.select().from(aiProviders).orderBy(aiProviders.id);
    expect(after.map((r) => r.apiKey)).toEqual(before.map((r) => r.apiKey));
  });
});

describe("ai_providers.api_key validation", () => {
  it("refuses plaintext, accepts an envelope", async () => {
    const { insertAiProviderSchema } = await import("../../src/validation/index.js");
    const base = { id: "p", name: "P" };
    expect(insertAiProviderSchema.safeParse({ ...base, apiKey: SECRET }).success).toBe(false);
    const apiKey = encryptSecret(SECRET, "ai_providers.api_key:p", parseKeyring(k1));
    expect(insertAiProviderSchema.safeParse({ ...base, apiKey }).success).toBe(true);
  });
});
