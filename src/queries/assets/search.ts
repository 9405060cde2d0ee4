/**
 * Asset search: by code, hostname, serial, IP (exact, or inside a CIDR with inet `<<=`) and MAC (any
 * notation), filtered by status, location subtree and category, in keyset pages ordered by
 * (asset_code, id) with an opaque cursor; never OFFSET.
 */
import { and, asc, eq, gt, inArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { parseInput, ValidationError, withDbErrors } from "../../errors.js";
import { ASSET_STATUSES, type Asset, assetModels, assets, locations } from "../../schema/assets/index.js";
import { inet, mac, trimmed } from "../../validation/refinements.js";
import { decodeCursor, type Page, toPage } from "../shared/keyset.js";
import { uuid } from "./inputs.js";

export const SEARCH_PAGE_MAX = 500;

const searchInput = z.strictObject({
  /** asset_code prefix, case-insensitive. */
  code: trimmed(100).optional(),
  /** hostname prefix, case-insensitive. */
  hostname: trimmed(255).optional(),
  /** serial_no, exact (case-insensitive). */
  serial: trimmed(255).optional(),
  /** A host address (exact match) or a CIDR (every address inside it). */
  ip: inet().optional(),
  /** Any accepted notation (aa:bb:.., aa-bb-.., aabb.ccdd.eeff, aabbccddeeff). */
  mac: mac().optional(),
  status: z.array(z.enum(ASSET_STATUSES)).min(1).optional(),
  /** This location and everything under it. */
  locationId: uuid().optional(),
  categoryId: uuid().optional(),
  limit: z.int().min(1).max(SEARCH_PAGE_MAX).default(50),
  cursor: z.string().max(2000).optional(),
});
export type SearchAssetsInput = z.input<typeof searchInput>;

/** LIKE pattern for "starts with", wildcards in the input taken literally. */
const startsWith = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of matching assets; pass `nextCursor` back as `cursor` for the next one. */
export async function searchAssets(db: DbOrTx, input: SearchAssetsInput = {}): Promise<Page<Asset>> {
  const q = parseInput(searchInput, input);
  const where: SQL[] = [];
  if (q.code) where.push(sql`lower(${assets.assetCode}) LIKE lower(${startsWith(q.code)})`);
  if (q.hostname) where.push(sql`lower(${assets.hostname}) LIKE lower(${startsWith(q.hostname)})`);
  if (q.serial) where.push(sql`lower(${assets.serialNo}) = lower(${q.serial})`);
  if (q.ip) {
    where.push(
      q.ip.includes("/") ? sql`${assets.mgmtIp} <<= ${q.ip}::inet` : sql`${assets.mgmtIp} = ${q.ip}::inet`,
    );
  }
  if (q.mac) {
    // Stored values may be in any notation (legacy rows): compare the bare hex digits.
    const hex = q.mac.replaceAll(":", "");
    where.push(sql`lower(regexp_replace(${assets.macAddress}, '[^0-9A-Fa-f]', '', 'g')) = ${hex}`);
  }
  if (q.status) where.push(inArray(assets.status, q.status));
  if (q.locationId) {
    where.push(sql`${assets.locationId} IN (
      SELECT sub.id FROM ${locations} sub, ${locations} root
      WHERE root.id = ${q.locationId}
        AND sub.path LIKE replace(replace(replace(root.path, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`);
  }
  if (q.categoryId) {
    where.push(
      sql`${assets.modelId} IN (SELECT ${assetModels.id} FROM ${assetModels} WHERE ${assetModels.categoryId} = ${q.categoryId})`,
    );
  }
  if (q.cursor) {
    const [code, id] = decodeCursor(q.cursor, 2);
    if (typeof code !== "string" || !z.uuid().safeParse(id).success) {
      throw new ValidationError([{ path: "cursor", message: "is not a cursor returned by a previous page" }]);
    }
    const afterCode = gt(assets.assetCode, String(code));
    const sameCodeLaterId = and(eq(assets.assetCode, String(code)), gt(assets.id, String(id)));
    where.push(or(afterCode, sameCodeLaterId) as SQL);
  }
  const fetched = await withDbErrors("searchAssets", () =>
    db
      .select()
      .from(assets)
      .where(and(...where))
      .orderBy(asc(assets.assetCode), asc(assets.id))
      .limit(q.limit + 1),
  );
  return toPage(fetched, q.limit, (a) => [a.assetCode, a.id]);
}
