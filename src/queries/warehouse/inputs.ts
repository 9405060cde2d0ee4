/** zod pieces shared by the warehouse operations' input schemas. */
import { z } from "zod";
import { decimal, uuid } from "../../validation/refinements.js";

/** A UUID, lower-cased so it compares (and sorts, for lock order) like PostgreSQL's uuid. */
export const uuidInput = uuid();
/**
 * numeric(12,2) money: a non-negative number or decimal string, kept as the string drizzle writes.
 * One rule for both: a number is judged by its decimal form (0.005 has three decimals, refused like
 * "0.005"; it is never rounded to fit).
 */
export const moneyInput = decimal({ precision: 12, scale: 2 });
export const qtyInput = z.number().int().positive().max(1_000_000_000);
export const optionalText = z.string().min(1).max(1000).optional();
