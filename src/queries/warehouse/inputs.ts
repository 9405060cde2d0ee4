/** zod pieces shared by the warehouse operations' input schemas. */
import { z } from "zod";

/** A UUID, lower-cased so it compares (and sorts, for lock order) like PostgreSQL's uuid. */
export const uuidInput = z.uuid().transform((s) => s.toLowerCase());
/** numeric(12,2) money: a non-negative number or decimal string, kept as the string drizzle writes. */
export const moneyInput = z
  .union([z.number().nonnegative().finite(), z.string().regex(/^\d{1,10}(\.\d{1,2})?$/)])
  .transform((v) => (typeof v === "number" ? v.toFixed(2) : v));
export const qtyInput = z.number().int().positive().max(1_000_000_000);
export const optionalText = z.string().min(1).max(1000).optional();
