/** Password hashes (issue 14 item 5): scrypt PHC strings, constant-time verify, raisable parameters, validation. */
import { scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  isPasswordHash,
  needsRehash,
  PasswordHashFormatError,
  verifyPassword,
} from "../../src/security/passwords.js";
import { insertUserSchema } from "../../src/validation/index.js";

const FAST = { ln: 10, r: 8, p: 1 };

describe("hashPassword / verifyPassword", () => {
  it("writes $scrypt$ln=..,r=..,p=..$salt$hash with the default (OWASP) parameters, and verifies", async () => {
    const stored = await hashPassword("correct horse");
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horsf", stored)).toBe(false);
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ ln: 17, r: 8, p: 1 });
  });

  it("is node:crypto's scrypt of the password with the stored salt (independent recomputation)", async () => {
    const stored = await hashPassword("pw", FAST);
    const [, , , salt, hash] = stored.split("$");
    const expected = scryptSync("pw", Buffer.from(salt ?? "", "base64"), 32, { N: 1024, r: 8, p: 1 });
    expect(Buffer.from(hash ?? "", "base64").equals(expected)).toBe(true);
  });

  it("salts: the same password hashes differently each time", async () => {
    expect(await hashPassword("pw", FAST)).not.toBe(await hashPassword("pw", FAST));
  });

  it("reads the parameters from the stored string (hashes made with old parameters still verify)", async () => {
    const old = await hashPassword("pw", { ln: 11, r: 4, p: 2 });
    expect(old.startsWith("$scrypt$ln=11,r=4,p=2$")).toBe(true);
    expect(await verifyPassword("pw", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, { ln: 11, r: 4, p: 2 })).toBe(false);
  });

  it("refuses a stored value that is not a scrypt PHC string (a corrupt row is not a wrong password)", async () => {
    await expect(verifyPassword("hunter2", "hunter2")).rejects.toBeInstanceOf(PasswordHashFormatError);
  });
});

describe("users.password_hash validation", () => {
  const user = { email: "a@example.com", name: "A" };
  it.each([
    "hunter2",
    "$2b$12$abcdefghijklmnopqrstuuOgf8Zr4jp8JiGq5x0pJwS2zXq0Xl4yW", // bcrypt: the document names none
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
    "$scrypt$ln=17,r=8,p=1$c2FsdA$",
    "$scrypt$ln=0,r=8,p=1$c29tZXNhbHRzb21l$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
  ])("refuses %s", (passwordHash) => {
    expect(isPasswordHash(passwordHash)).toBe(false);
    expect(insertUserSchema.safeParse({ ...user, passwordHash }).success).toBe(false);
  });
  it("accepts what hashPassword writes", async () => {
    const passwordHash = await hashPassword("pw", FAST);
    expect(insertUserSchema.safeParse({ ...user, passwordHash }).success).toBe(true);
  });
});
