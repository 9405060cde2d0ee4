/**
 * The one generator of business codes for rows the caller did not name: `<PREFIX>-<yyyymmdd>-<10 hex>`
 * (40 random bits: a collision within a day is improbable, and the unique constraint refuses one).
 */
import { randomBytes } from "node:crypto";

/** Prefixes by kind of row: stock documents by type, repair orders. */
export const CODE_PREFIXES = {
  receipt: "RCV",
  issue: "ISS",
  adjust: "ADJ",
  transfer: "TRF",
  repairOrder: "RO",
} as const;

export function generateCode(kind: keyof typeof CODE_PREFIXES, at: Date = new Date()): string {
  const day = at.toISOString().slice(0, 10).replaceAll("-", "");
  return `${CODE_PREFIXES[kind]}-${day}-${randomBytes(5).toString("hex")}`;
}
