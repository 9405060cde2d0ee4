/**
 * Secrets at rest: AES-256-GCM (node:crypto) envelope for `ai_providers.api_key`.
 *
 *   v1:<keyId>:<iv>:<tag>:<ciphertext>        iv 12 bytes, tag 16 bytes, base64 each
 *
 * Keys come from NETOPS_ENCRYPTION_KEY: `kid:base64key[,kid:base64key...]`, newest first. New values
 * are encrypted with the first; any listed key decrypts (rotation: put the new key first, run
 * `npm run db:rotate-key`, then drop the old one). A key is 32 random bytes (`openssl rand -base64 32`).
 * The ciphertext is bound to its row and column (additional authenticated data
 * `ai_providers.api_key:<id>`), so a value copied onto another provider does not decrypt.
 *
 * This module is the envelope alone (no database): src/security/secrets.ts stores and reads
 * ai_providers.api_key with it, validation checks the shape with isEncryptedSecret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { EncryptionKeyError, SecretDecryptionError } from "../errors/security.js";

export const ENCRYPTION_KEY_ENV = "NETOPS_ENCRYPTION_KEY";
export const ENVELOPE_VERSION = "v1";
const VERSION = ENVELOPE_VERSION;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The configured keys, newest (the one new values are encrypted with) first. */
export interface Keyring {
  keys: readonly EncryptionKey[];
}

/** Parse `kid:base64key[,kid:base64key...]`; throws EncryptionKeyError naming what is wrong (never the key). */
export function parseKeyring(value: string | undefined): Keyring {
  if (value === undefined || value.trim() === "")
    throw new EncryptionKeyError(
      `${ENCRYPTION_KEY_ENV} is not set: no key to encrypt or decrypt secrets with`,
    );
  const keys: EncryptionKey[] = [];
  for (const [index, entry] of value.split(",").entries()) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (colon < 0 || !KEY_ID.test(id))
      throw new EncryptionKeyError(
        `${ENCRYPTION_KEY_ENV} entry ${index + 1}: expected <keyId>:<base64 key>, key id of letters, digits, _ or -`,
      );
    const key = Buffer.from(encoded, "base64");
    if (key.length !== KEY_BYTES || key.toString("base64") !== encoded)
      throw new EncryptionKeyError(`${ENCRYPTION_KEY_ENV} key ${id}: expected ${KEY_BYTES} bytes in base64`);
    if (keys.some((k) => k.id === id))
      throw new EncryptionKeyError(`${ENCRYPTION_KEY_ENV}: key id ${id} appears twice`);
    keys.push({ id, key });
  }
  return { keys };
}

/** The keyring from the environment (NETOPS_ENCRYPTION_KEY). */
export const keyringFromEnv = (env: NodeJS.ProcessEnv = process.env): Keyring =>
  parseKeyring(env[ENCRYPTION_KEY_ENV]);

/** True when `value` has the envelope's shape (it may still fail to decrypt). */
export const isEncryptedSecret = (value: string): boolean => parseEnvelope(value) !== null;

/** The key id a stored envelope was encrypted with, or null when it is not an envelope. */
export const envelopeKeyId = (value: string): string | null => parseEnvelope(value)?.keyId ?? null;

function parseEnvelope(value: string) {
  const parts = value.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  const [, keyId = "", iv = "", tag = "", data = ""] = parts;
  if (!KEY_ID.test(keyId)) return null;
  const buffers = [iv, tag, data].map((p) => Buffer.from(p, "base64"));
  const [ivB, tagB, dataB] = buffers as [Buffer, Buffer, Buffer];
  if (ivB.length !== IV_BYTES || tagB.length !== TAG_BYTES) return null;
  return { keyId, iv: ivB, tag: tagB, data: dataB };
}

/** Encrypt with the newest key. `context` is authenticated, not stored: decrypt needs the same one. */
export function encryptSecret(plaintext: string, context: string, keyring: Keyring): string {
  const newest = keyring.keys[0];
  if (!newest) throw new EncryptionKeyError(`${ENCRYPTION_KEY_ENV} holds no key`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", newest.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, newest.id, iv.toString("base64"), tag.toString("base64"), data.toString("base64")].join(
    ":",
  );
}

/** Decrypt an envelope; SecretDecryptionError when it is malformed, its key is unknown, or it was altered. */
export function decryptSecret(envelope: string, context: string, keyring: Keyring): string {
  const parsed = parseEnvelope(envelope);
  if (!parsed)
    throw new SecretDecryptionError(`${context}: not a ${VERSION}:<keyId>:<iv>:<tag>:<ciphertext> value`);
  const entry = keyring.keys.find((k) => k.id === parsed.keyId);
  if (!entry)
    throw new SecretDecryptionError(
      `${context}: encrypted with key ${parsed.keyId}, which ${ENCRYPTION_KEY_ENV} does not hold`,
    );
  const decipher = createDecipheriv("aes-256-gcm", entry.key, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(parsed.tag);
  try {
    return Buffer.concat([decipher.update(parsed.data), decipher.final()]).toString("utf8");
  } catch {
    // GCM's tag check failed: a different key under the same id, or the value was altered.
    throw new SecretDecryptionError(
      `${context}: authentication failed (wrong key ${parsed.keyId} or altered value)`,
    );
  }
}

export { EncryptionKeyError, SecretDecryptionError };
