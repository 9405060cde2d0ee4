/**
 * Asset search: by code, hostname, serial, IP (exact, or inside a CIDR with inet `<<=`) and MAC (any
 * notation), filtered by status, location subtree and category, in keyset pages ordered by
 * (asset_code, id) with an opaque cursor; never OFFSET.
 */
import { type AnyColumn, and, asc, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { inputParser, ValidationError, withDbErrors } from "../../errors/index.js";
import { type Asset, assetModels, assets, locations, macHex } from "../../schema/assets/index.js";
import { SEARCH_PAGE_MAX, searchAssetsInput } from "../../validation/assets/schemas.js";
import { decodeCursor, type Page, toPage } from "../shared/keyset.js";
import { likePrefix } from "../shared/like.js";
import { preparedRows } from "../shared/prepared.js";

export { SEARCH_PAGE_MAX };

export type SearchAssetsInput = z.input<typeof searchAssetsInput>;

const cursorId = z.uuid();

/**
 * Case-insensitive "starts with" on `column`, served by an index on `lower(column)
 * text_pattern_ops`: the prefix as the byte range [lower(p), lower(p) with its last character
 * bumped) (the `~>=~`/`~<~` operators of that operator class; a generic plan of the prepared
 * statement still has a range to give the index), and the LIKE kept as the exact test.
 */
function prefixOf(column: AnyColumn, prefix: SQL, pattern: SQL): SQL {
  const lowered = sql`lower(${column})`;
  return sql`(${lowered} ~>=~ lower(${prefix}) AND ${lowered} ~<~ ${bumpLast(sql`lower(${prefix})`)}
    AND ${lowered} LIKE lower(${pattern}))`;
}

/** The smallest string above every string starting with `text` (byte order): last character + 1. */
const bumpLast = (text: SQL) => sql`(left(${text}, -1) || chr(ascii(right(${text}, 1)) + 1))`;

type SearchQuery = z.output<typeof searchAssetsInput>;

/**
 * Which filters a search uses: one prepared statement per shape (a handful in practice), so a
 * search neither rebuilds its SQL nor re-plans it per call. A single status is its own shape: an
 * equality walks idx_assets_status_asset_code in page order, `= ANY` of a list cannot.
 */
function shapeOf(q: SearchQuery): string {
  return [
    q.code ? "c" : "",
    q.hostname ? "h" : "",
    q.serial ? "s" : "",
    q.ip ? (q.ip.includes("/") ? "n" : "i") : "",
    q.mac ? "m" : "",
    q.status ? (q.status.length === 1 ? "t" : "T") : "",
    q.locationId ? "l" : "",
    q.categoryId ? "g" : "",
    q.cursor ? "k" : "",
  ].join("");
}

const p = (name: string) => sql`${sql.placeholder(name)}`;

function searchStatement(shape: string) {
  return preparedRows<Asset>(
    `netops_search_${shape || "all"}`,
    (db, name) => {
      const where: SQL[] = [];
      const has = (flag: string) => shape.includes(flag);
      if (has("c")) where.push(prefixOf(assets.assetCode, p("code"), p("codePattern")));
      if (has("h")) where.push(prefixOf(assets.hostname, p("hostname"), p("hostnamePattern")));
      if (has("s")) where.push(sql`lower(${assets.serialNo}) = lower(${p("serial")})`);
      if (has("i")) where.push(sql`${assets.mgmtIp} = ${p("ip")}::inet`);
      if (has("n")) where.push(sql`${assets.mgmtIp} <<= ${p("ip")}::inet`);
      // Stored values may be in any notation (legacy rows): compare the bare hex digits.
      if (has("m")) where.push(sql`${macHex(assets.macAddress)} = ${p("mac")}`);
      if (has("t")) where.push(sql`${assets.status} = ${p("status")}`);
      if (has("T")) where.push(sql`${assets.status} = ANY (${p("status")}::text[])`);
      if (has("l")) {
        // The subtree as a range of paths (idx_locations_path, text_pattern_ops); ARRAY(...) makes it
        // one InitPlan, so the assets come from idx_assets_location_id (and the subquery below). A
        // LIKE on root.path || '%' would be a non-constant pattern, which no index serves: locations
        // would be read whole.
        where.push(sql`${assets.locationId} = ANY (ARRAY(
        SELECT sub.id FROM ${locations} root JOIN ${locations} sub
            ON sub.path ~>=~ root.path AND sub.path ~<~ ${bumpLast(sql`root.path`)}
         WHERE root.id = ${p("locationId")}::uuid))`);
      }
      if (has("g")) {
        where.push(
          sql`${assets.modelId} IN (SELECT ${assetModels.id} FROM ${assetModels} WHERE ${assetModels.categoryId} = ${p("categoryId")}::uuid)`,
        );
      }
      // A row comparison, which the index on asset_code bounds (an OR of the two cases it means is
      // not: the walk would start at the first code).
      if (has("k"))
        where.push(sql`(${assets.assetCode}, ${assets.id}) > (${p("afterCode")}, ${p("afterId")}::uuid)`);
      if (has("l")) {
        // The subtree's assets first, then the page: OFFSET (always 0) keeps the subquery from being
        // merged into the ordered, limited query. Merged, the planner may walk assets_asset_code_key
        // in page order with the subtree's ids as a filter, because the array's size is unknown
        // when planning; it does on a small estate (10,000 assets: the whole index read when the
        // subtree has no asset). Fenced, the assets come from idx_assets_location_id at every size,
        // the plan the merged query gets at 1 M assets (test/bench/plans.test.ts).
        const subtree = db
          .select()
          .from(assets)
          .where(and(...where))
          .offset(sql.placeholder("fence"))
          .as("subtree_assets");
        return db
          .select()
          .from(subtree)
          .orderBy(asc(subtree.assetCode), asc(subtree.id))
          .limit(sql.placeholder("limit"))
          .prepare(name);
      }
      return db
        .select()
        .from(assets)
        .where(and(...where))
        .orderBy(asc(assets.assetCode), asc(assets.id))
        .limit(sql.placeholder("limit"))
        .prepare(name);
    },
    { read: true },
  );
}

const statements = new Map<string, ReturnType<typeof searchStatement>>();
const parseSearchInput = inputParser(searchAssetsInput);

/** One page of matching assets; pass `nextCursor` back as `cursor` for the next one. */
export async function searchAssets(db: DbOrTx, input: SearchAssetsInput = {}): Promise<Page<Asset>> {
  const q = parseSearchInput(input);
  let after: { afterCode: string; afterId: string } | undefined;
  if (q.cursor) {
    const [code, id] = decodeCursor(q.cursor, 2);
    if (typeof code !== "string" || !cursorId.safeParse(id).success) {
      throw new ValidationError([{ path: "cursor", message: "is not a cursor returned by a previous page" }]);
    }
    after = { afterCode: code, afterId: String(id) };
  }
  const shape = shapeOf(q);
  let statement = statements.get(shape);
  if (!statement) {
    statement = searchStatement(shape);
    statements.set(shape, statement);
  }
  const fetched = await withDbErrors("searchAssets", () =>
    (statement as ReturnType<typeof searchStatement>)(db, {
      code: q.code,
      codePattern: q.code === undefined ? undefined : likePrefix(q.code),
      hostname: q.hostname,
      hostnamePattern: q.hostname === undefined ? undefined : likePrefix(q.hostname),
      serial: q.serial,
      ip: q.ip,
      mac: q.mac?.replaceAll(":", ""),
      status: q.status?.length === 1 ? q.status[0] : q.status && `{${q.status.join(",")}}`,
      locationId: q.locationId,
      categoryId: q.categoryId,
      ...after,
      fence: 0,
      limit: q.limit + 1,
    }),
  );
  return toPage(fetched, q.limit, (a) => [a.assetCode, a.id]);
}
