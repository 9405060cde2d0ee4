/**
 * ai_providers.api_key at rest, with the envelope of src/security/envelope.ts (AES-256-GCM, keys from
 * NETOPS_ENCRYPTION_KEY). The column holds only ciphertext: every ordinary read (`db.query.aiProviders`,
 * select *) returns the envelope; only getProviderApiKey() returns the plaintext.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../db.js";
import { NotFoundError } from "../errors/index.js";
import { aiProviders } from "../schema/index.js";
import {
  decryptSecret,
  ENCRYPTION_KEY_ENV,
  EncryptionKeyError,
  encryptSecret,
  envelopeKeyId,
  type Keyring,
  keyringFromEnv,
  SecretDecryptionError,
  ENVELOPE_VERSION as VERSION,
} from "./envelope.js";

export * from "./envelope.js";

/** The AAD binding an api_key value to its provider row. */
const apiKeyContext = (providerId: string) => `ai_providers.api_key:${providerId}`;

/** The provider's API key in plaintext (null when it has none). The one read that decrypts. */
export async function getProviderApiKey(
  db: DbOrTx,
  providerId: string,
  keyring: Keyring = keyringFromEnv(),
): Promise<string | null> {
  const [row] = await db
    .select({ apiKey: aiProviders.apiKey })
    .from(aiProviders)
    .where(eq(aiProviders.id, providerId));
  if (!row) throw new NotFoundError("ai_provider", providerId);
  return row.apiKey === null ? null : decryptSecret(row.apiKey, apiKeyContext(providerId), keyring);
}

/** Store (encrypted with the newest key) or clear the provider's API key. Refused without a key configured. */
export async function setProviderApiKey(
  db: DbOrTx,
  providerId: string,
  apiKey: string | null,
  keyring?: Keyring,
): Promise<void> {
  const value =
    apiKey === null ? null : encryptSecret(apiKey, apiKeyContext(providerId), keyring ?? keyringFromEnv());
  const updated = await db
    .update(aiProviders)
    .set({ apiKey: value })
    .where(eq(aiProviders.id, providerId))
    .returning({ id: aiProviders.id });
  if (updated.length === 0) throw new NotFoundError("ai_provider", providerId);
}

export interface RotationResult {
  /** Re-encrypted from an older key to the newest. */
  reencrypted: number;
  /** Already under the newest key. */
  current: number;
  /** Plaintext found in the column (a database from before encryption), now encrypted. */
  encryptedPlaintext: number;
}

/**
 * Re-encrypt every ai_providers.api_key to the newest key, in one transaction (rows locked): either
 * every row is under the newest key afterwards or nothing changed. A value that is not an envelope is
 * taken as legacy plaintext and encrypted; one that does not decrypt with any configured key aborts
 * the whole rotation (SecretDecryptionError naming the provider).
 */
export async function rotateProviderApiKeys(
  db: DbOrTx,
  keyring: Keyring = keyringFromEnv(),
): Promise<RotationResult> {
  const newest = keyring.keys[0];
  if (!newest) throw new EncryptionKeyError(`${ENCRYPTION_KEY_ENV} holds no key`);
  return db.transaction(async (tx) => {
    const result: RotationResult = { reencrypted: 0, current: 0, encryptedPlaintext: 0 };
    const rows = await tx
      .select({ id: aiProviders.id, apiKey: aiProviders.apiKey })
      .from(aiProviders)
      .orderBy(aiProviders.id)
      .for("update");
    for (const row of rows) {
      if (row.apiKey === null) continue;
      const context = apiKeyContext(row.id);
      const keyId = envelopeKeyId(row.apiKey);
      // A damaged envelope is not legacy plaintext: encrypting it would hide the damage.
      if (keyId === null && row.apiKey.startsWith(`${VERSION}:`))
        throw new SecretDecryptionError(`${context}: not a ${VERSION}:<keyId>:<iv>:<tag>:<ciphertext> value`);
      if (keyId === newest.id) {
        decryptSecret(row.apiKey, context, keyring); // proves it is readable, or aborts
        result.current++;
        continue;
      }
      const plaintext = keyId === null ? row.apiKey : decryptSecret(row.apiKey, context, keyring);
      if (keyId === null) result.encryptedPlaintext++;
      else result.reencrypted++;
      await tx
        .update(aiProviders)
        .set({ apiKey: encryptSecret(plaintext, context, keyring) })
        .where(eq(aiProviders.id, row.id));
    }
    return result;
  });
}
