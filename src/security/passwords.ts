/**
 * Password hashing for `users.password_hash`: scrypt (node:crypto) in a PHC string,
 *
 *   $scrypt$ln=17,r=8,p=1$<salt>$<hash>      (salt and hash: base64 without padding, PHC's B64)
 *
 * The cost parameters travel in the string, so they can be raised later: verifyPassword reads them
 * from the stored hash, needsRehash says when a stored hash is weaker than today's parameters (rehash
 * at the next successful login). Defaults follow OWASP's password storage guidance for scrypt
 * (N = 2^17, r = 8, p = 1). The document gives password_hash no format (VARCHAR(255), no legacy
 * algorithm named), so nothing else is accepted: a plain string such as "hunter2" is refused.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { PasswordHashFormatError } from "../errors/security.js";

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ ln: 17, r: 8, p: 1 });
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** `$scrypt$ln=<int>,r=<int>,p=<int>$<b64 salt>$<b64 hash>`: the only accepted password_hash shape. */
const PHC_SCRYPT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

const b64 = (buf: Buffer) => buf.toString("base64").replace(/=+$/, "");

function parse(stored: string): ParsedHash | null {
  const m = PHC_SCRYPT.exec(stored);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > 30 || params.r < 1 || params.p < 1) return null;
  return { params, salt: Buffer.from(m[4] ?? "", "base64"), hash: Buffer.from(m[5] ?? "", "base64") };
}

/** True when `value` is a well-formed scrypt PHC string (what validation accepts for password_hash). */
export const isPasswordHash = (value: string): boolean => parse(value) !== null;

function derive(password: string, salt: Buffer, length: number, { ln, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** ln;
  // Node refuses above maxmem (32 MiB by default); scrypt needs about 128 * N * r bytes.
  const maxmem = 256 * N * r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, length, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * A new PHC string for `password` with a random salt. `salt` is for reproducible data sets only
 * (the scale seed derives it from its seed, so the same seed gives the same rows): never for a
 * real user's password.
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
  salt: Buffer = randomBytes(SALT_BYTES),
): Promise<string> {
  const hash = await derive(password, salt, HASH_BYTES, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

/**
 * Does `password` match `stored`? Constant-time comparison of the derived key. A stored value that is
 * not a scrypt PHC string throws PasswordHashFormatError (a corrupt row is not a wrong password).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) throw new PasswordHashFormatError();
  const candidate = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
  return candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
}

/** True when `stored` was made with weaker parameters than `params` (rehash after the next login). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const p = parsed.params;
  return p.ln < params.ln || p.r < params.r || p.p < params.p || parsed.hash.length < HASH_BYTES;
}

export { PasswordHashFormatError };
