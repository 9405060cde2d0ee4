/**
 * Asset search: by code, hostname, serial, IP (exact, or inside a CIDR with inet `<<=`) and MAC (any
 * notation), filtered by status, location subtree and category, in keyset pages ordered by
 * (asset_code, id) with an opaque cursor; never OFFSET.
 */
import { and, asc, eq, gt, inArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { parseInput, ValidationError, withDbErrors } from "../../errors/index.js";
import { type Asset, assetModels, assets, locations } from "../../schema/assets/index.js";
import { SEARCH_PAGE_MAX, searchAssetsInput } from "../../validation/assets/schemas.js";
import { decodeCursor, type Page, toPage } from "../shared/keyset.js";
import { likePrefix } from "../shared/like.js";

export { SEARCH_PAGE_MAX };

export type SearchAssetsInput = z.input<typeof searchAssetsInput>;

/** LIKE pattern for "starts with", wildcards in the input taken literally. */

/** One page of matching assets; pass `nextCursor` back as `cursor` for the next one. */
export async function searchAssets(db: DbOrTx, input: SearchAssetsInput = {}): Promise<Page<Asset>> {
  const q = parseInput(searchAssetsInput, input);
  const where: SQL[] = [];
  if (q.code) where.push(sql`lower(${assets.assetCode}) LIKE lower(${likePrefix(q.code)})`);
  if (q.hostname) where.push(sql`lower(${assets.hostname}) LIKE lower(${likePrefix(q.hostname)})`);
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
  const fetched = await withDbErrors(() =>
    db
      .select()
      .from(assets)
      .where(and(...where))
      .orderBy(asc(assets.assetCode), asc(assets.id))
      .limit(q.limit + 1),
  );
  return toPage(fetched, q.limit, (a) => [a.assetCode, a.id]);
}
