/**
 * Refusals of the security module (src/security/): key configuration, decryption, password hash
 * format, role setup, retention. Messages carry no secret or key material.
 */
import { NetOpsError } from "./base.js";

/** No encryption key configured, or the configured value is malformed. */
export class EncryptionKeyError extends NetOpsError {
  override name = "EncryptionKeyError";
  constructor(message: string) {
    super("ENCRYPTION_KEY", message);
  }
}

/** A stored secret that cannot be decrypted: unknown key id, wrong key, or tampered ciphertext. */
export class SecretDecryptionError extends NetOpsError {
  override name = "SecretDecryptionError";
  constructor(message: string) {
    super("SECRET_DECRYPTION", message);
  }
}

export class PasswordHashFormatError extends NetOpsError {
  override name = "PasswordHashFormatError";
  constructor() {
    super("PASSWORD_HASH_FORMAT", "password_hash is not a $scrypt$ln=..,r=..,p=..$salt$hash string");
  }
}

export class RoleSetupError extends NetOpsError {
  override name = "RoleSetupError";
  constructor(message: string) {
    super("ROLE_SETUP", message);
  }
}

export class RetentionError extends NetOpsError {
  override name = "RetentionError";
  constructor(message: string) {
    super("RETENTION", message);
  }
}
