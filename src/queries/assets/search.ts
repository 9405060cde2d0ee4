/**
 * Asset search: by code, hostname, serial, IP (exact, or inside a CIDR with inet `<<=`) and MAC (any
 * notation), filtered by status, location subtree and category, in keyset pages ordered by
 * (asset_code, id) with an opaque cursor; never OFFSET.
 */
import { type AnyColumn, and, asc, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { parseInput, ValidationError, withDbErrors } from "../../errors.js";
import {
  ASSET_STATUSES,
  type Asset,
  assetModels,
  assets,
  locations,
  macHex,
} from "../../schema/assets/index.js";
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

const cursorId = z.uuid();

/** LIKE pattern for "starts with", wildcards in the input taken literally. */
const startsWith = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Case-insensitive "starts with" on `column`, served by an index on `lower(column)
 * text_pattern_ops`: the prefix as the byte range [lower(p), lower(p) with its last character
 * bumped) (the `~>=~`/`~<~` operators of that operator class; a generic plan of the prepared
 * statement still has a range to give the index), and the LIKE kept as the exact test.
 */
function prefixOf(column: SQL | AnyColumn, prefix: string): SQL {
  const lowered = sql`lower(${column})`;
  return sql`(${lowered} ~>=~ lower(${prefix}) AND ${lowered} ~<~ ${bumpLast(sql`lower(${prefix})`)}
    AND ${lowered} LIKE lower(${startsWith(prefix)}))`;
}

/** The smallest string above every string starting with `text` (byte order): last character + 1. */
const bumpLast = (text: SQL) => sql`(left(${text}, -1) || chr(ascii(right(${text}, 1)) + 1))`;

/** One page of matching assets; pass `nextCursor` back as `cursor` for the next one. */
export async function searchAssets(db: DbOrTx, input: SearchAssetsInput = {}): Promise<Page<Asset>> {
  const q = parseInput(searchInput, input);
  const where: SQL[] = [];
  if (q.code) where.push(prefixOf(assets.assetCode, q.code));
  if (q.hostname) where.push(prefixOf(assets.hostname, q.hostname));
  if (q.serial) where.push(sql`lower(${assets.serialNo}) = lower(${q.serial})`);
  if (q.ip) {
    where.push(
      q.ip.includes("/") ? sql`${assets.mgmtIp} <<= ${q.ip}::inet` : sql`${assets.mgmtIp} = ${q.ip}::inet`,
    );
  }
  if (q.mac) {
    // Stored values may be in any notation (legacy rows): compare the bare hex digits.
    where.push(sql`${macHex(assets.macAddress)} = ${q.mac.replaceAll(":", "")}`);
  }
  if (q.status) where.push(inArray(assets.status, q.status));
  if (q.locationId) {
    // The subtree as a range of paths (idx_locations_path, text_pattern_ops); ARRAY(...) makes it one
    // InitPlan, so the assets come from idx_assets_location_id. A LIKE on root.path || '%' would be
    // a non-constant pattern, which no index serves: locations would be read whole.
    where.push(sql`${assets.locationId} = ANY (ARRAY(
      SELECT sub.id FROM ${locations} root JOIN ${locations} sub
          ON sub.path ~>=~ root.path AND sub.path ~<~ ${bumpLast(sql`root.path`)}
       WHERE root.id = ${q.locationId}))`);
  }
  if (q.categoryId) {
    where.push(
      sql`${assets.modelId} IN (SELECT ${assetModels.id} FROM ${assetModels} WHERE ${assetModels.categoryId} = ${q.categoryId})`,
    );
  }
  if (q.cursor) {
    const [code, id] = decodeCursor(q.cursor, 2);
    if (typeof code !== "string" || !cursorId.safeParse(id).success) {
      throw new ValidationError([{ path: "cursor", message: "is not a cursor returned by a previous page" }]);
    }
    // A row comparison, which the index on asset_code bounds (an OR of the two cases it means is
    // not: the walk would start at the first code).
    where.push(sql`(${assets.assetCode}, ${assets.id}) > (${String(code)}, ${String(id)}::uuid)`);
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
