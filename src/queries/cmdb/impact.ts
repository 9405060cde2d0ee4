/**
 * Impact analysis and service maps over the CI graph, each ONE recursive SQL query (no query per
 * node), prepared per database handle.
 *
 * Direction semantics: every active relationship from -> to means "from depends on to" (A
 * depends_on / runs_on / hosted_on / connects_to B). So:
 * - "dependencies" of X: what X depends on, following from -> to (what X needs to work);
 * - "dependents" of X: what depends on X, following to -> from (what breaks when X fails).
 * Retired relationships are ignored; a NULL status counts as active (the column's default).
 *
 * Cycle safety: the impact walk is breadth-first, deduplicated with UNION, and its depth capped (see
 * impactSql); the service map's walk carries its path. Each reached CI is reported once, with its
 * minimal depth and the relationship that reached it at that depth (lowest relationship id on ties).
 */
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../db.js";
import { dbErrorOf, inputParser, NotFoundError, parseInput, withDbErrors } from "../../errors/index.js";
import { cmdbCis, cmdbServices } from "../../schema/cmdb/tables.js";
import {
  DEFAULT_MAX_DEPTH,
  IMPACT_DIRECTIONS,
  type ImpactDirection,
  impactInput,
  MAX_DEPTH_LIMIT,
  serviceMapInput,
} from "../../validation/cmdb/schemas.js";
import { preparedPer, preparedRows } from "../shared/prepared.js";

export { DEFAULT_MAX_DEPTH, IMPACT_DIRECTIONS, type ImpactDirection, MAX_DEPTH_LIMIT };

export type ImpactInput = z.input<typeof impactInput>;

export interface ReachedCi {
  ciId: string;
  ciCode: string;
  name: string;
  typeCode: string | null;
  status: string | null;
  environment: string | null;
  /** Minimal number of relationships between the start CI and this one. */
  depth: number;
  /** The relationship that reached it at that depth, and the CI it came from. */
  relationshipId: string;
  relationshipCode: string | null;
  viaCiId: string;
}

export interface ImpactResult {
  ciId: string;
  direction: ImpactDirection;
  maxDepth: number;
  /** Each reached CI once (the start CI excluded), by depth then ci_code. */
  reached: ReachedCi[];
}

const ACTIVE = sql.raw(`coalesce(r.status, 'active') = 'active'`);

/**
 * The recursive query. `near` is the column the walk stands on, `far` the one it steps to.
 *
 * Breadth-first with UNION: a row is (CI, depth, relationship, ...), so a CI reached by many paths is
 * expanded once per incoming relationship and depth, not once per path (a walk carrying its path
 * grows with the number of paths: 1.7x slower from a hub at 1 M assets, exponential in dense
 * cycles). Cycle-safe: rows repeat at most once per depth and the depth is capped; the start CI is
 * never stepped onto. A CI's minimal depth over these rows is its distance, and the rows at that
 * depth are exactly the relationships from CIs one step closer, so the lowest relationship id there
 * is the tie-break. The reached CIs are read one by one by primary key (LATERAL with OFFSET 0, a
 * plan that does not depend on the recursive CTE's row estimate, which is often far off).
 */
export function impactSql(direction: ImpactDirection, root: SQL, maxDepth: SQL): SQL {
  const [near, far] = direction === "dependencies" ? ["from_ci_id", "to_ci_id"] : ["to_ci_id", "from_ci_id"];
  const n = sql.raw(`r.${near}`);
  const f = sql.raw(`r.${far}`);
  return sql`
    WITH RECURSIVE walk(ci_id, depth, rel_id, rel_type_id, via_ci_id) AS (
      SELECT ${f}, 1, r.id, r.rel_type_id, ${n}
        FROM cmdb_relationships r
       WHERE ${n} = ${root} AND ${f} <> ${root} AND ${ACTIVE}
      UNION
      SELECT ${f}, w.depth + 1, r.id, r.rel_type_id, ${n}
        FROM walk w
        JOIN cmdb_relationships r ON ${n} = w.ci_id
       WHERE w.depth < ${maxDepth} AND ${f} <> ${root} AND ${ACTIVE}
    ), reached AS (
      SELECT DISTINCT ON (ci_id) ci_id, depth, rel_id, rel_type_id, via_ci_id
        FROM walk
       ORDER BY ci_id, depth, rel_id
    )
    SELECT c.id AS ci_id, c.ci_code, c.name, t.code AS type_code, c.status, c.environment,
           x.depth, x.rel_id, rt.code AS rel_code, x.via_ci_id
      FROM reached x
      CROSS JOIN LATERAL (SELECT c.id, c.ci_code, c.name, c.type_id, c.status, c.environment
                            FROM cmdb_cis c WHERE c.id = x.ci_id OFFSET 0) c
      LEFT JOIN cmdb_ci_types t ON t.id = c.type_id
      LEFT JOIN cmdb_relationship_types rt ON rt.id = x.rel_type_id`;
}

const reachedColumns = {
  ciId: sql<string>`impact.ci_id`,
  ciCode: sql<string>`impact.ci_code`,
  name: sql<string>`impact.name`,
  typeCode: sql<string | null>`impact.type_code`,
  status: sql<string | null>`impact.status`,
  environment: sql<string | null>`impact.environment`,
  depth: sql<number>`impact.depth`.mapWith(Number),
  relationshipId: sql<string>`impact.rel_id`,
  relationshipCode: sql<string | null>`impact.rel_code`,
  viaCiId: sql<string>`impact.via_ci_id`,
};

const impactQuery = (direction: ImpactDirection) =>
  preparedRows<ReachedCi>(
    `netops_impact_${direction}`,
    (db, name) =>
      db
        .select(reachedColumns)
        .from(
          sql`(${impactSql(direction, sql`${sql.placeholder("root")}::uuid`, sql`${sql.placeholder("maxDepth")}::int`)}) AS impact`,
        )
        .orderBy(sql`impact.depth`, sql`impact.ci_code`)
        .prepare(name),
    { read: true },
  );
const impactQueries = { dependencies: impactQuery("dependencies"), dependents: impactQuery("dependents") };

const ciExists = preparedRows<{ id: string }>(
  "netops_ci_exists",
  (db, name) =>
    db
      .select({ id: cmdbCis.id })
      .from(cmdbCis)
      .where(sql`${cmdbCis.id} = ${sql.placeholder("id")}::uuid`)
      .prepare(name),
  { read: true },
);

// The common input skips zod entirely (inputParser, and the pass-through tests of its three rules:
// client CPU per call, issue 15).
const parseImpactInput = inputParser(impactInput);

/** What a CI depends on ("dependencies") or what depends on it ("dependents"), to `maxDepth`. */
export async function impactAnalysis(db: DbOrTx, input: ImpactInput): Promise<ImpactResult> {
  // withDbErrors' mapping in this function's own try/catch: no callback and no async frame of its
  // own per call (client CPU: each layer a call touches is paid cold, between other work).
  try {
    const q = parseImpactInput(input);
    const reached = await impactQueries[q.direction](db, { root: q.ciId, maxDepth: q.maxDepth });
    // Only an empty walk needs telling apart "isolated CI" from "no such CI": one round trip otherwise.
    if (reached.length === 0) {
      const [found] = await ciExists(db, { id: q.ciId });
      if (!found) throw new NotFoundError("CI", q.ciId);
    }
    return { ciId: q.ciId, direction: q.direction, maxDepth: q.maxDepth, reached };
  } catch (error) {
    throw await dbErrorOf(error, "impactAnalysis");
  }
}

export type ServiceMapInput = z.input<typeof serviceMapInput>;

export interface ServiceMapNode {
  ciId: string;
  ciCode: string;
  name: string;
  typeCode: string | null;
  status: string | null;
  environment: string | null;
  /** 0 for the service's members; otherwise the minimal distance from any member. */
  depth: number;
  /** Role in the service (members only). */
  role: string | null;
  isMember: boolean;
  /** The member whose dependency chain reached this CI first (itself for members). */
  memberCiId: string;
  relationshipId: string | null;
  relationshipCode: string | null;
  viaCiId: string | null;
}

export interface ServiceMap {
  service: { id: string; code: string; name: string; criticality: string | null; status: string | null };
  /** Members and every CI they depend on (transitively, to maxDepth), each once. */
  nodes: ServiceMapNode[];
  /** Active relationships between nodes of the map (from depends on to). */
  edges: { id: string; fromCiId: string; toCiId: string; code: string | null }[];
}

/** Members (depth 0) and their transitive dependencies, each once, with outgoing edges inside the map. */
export function serviceMapSql(service: SQL, maxDepth: SQL): SQL {
  return sql`
    WITH RECURSIVE walk(ci_id, depth, path, rel_id, rel_type_id, via_ci_id, member_ci_id, role) AS (
      SELECT m.ci_id, 0, ARRAY[m.ci_id], NULL::uuid, NULL::uuid, NULL::uuid, m.ci_id, m.role
        FROM cmdb_service_members m
       WHERE m.service_id = ${service} AND m.ci_id IS NOT NULL
      UNION ALL
      SELECT r.to_ci_id, w.depth + 1, w.path || r.to_ci_id, r.id, r.rel_type_id, r.from_ci_id, w.member_ci_id, NULL
        FROM walk w
        JOIN cmdb_relationships r ON r.from_ci_id = w.ci_id
       WHERE w.depth < ${maxDepth} AND r.to_ci_id <> ALL (w.path) AND ${ACTIVE}
    ), reached AS (
      -- A member reached through another member's chain stays a member (depth 0 sorts first).
      SELECT DISTINCT ON (ci_id) ci_id, depth, rel_id, rel_type_id, via_ci_id, member_ci_id, role
        FROM walk
       ORDER BY ci_id, depth, member_ci_id, rel_id
    )
    SELECT c.id AS ci_id, c.ci_code, c.name, t.code AS type_code, c.status, c.environment,
           x.depth, x.role, x.member_ci_id, x.rel_id, rt.code AS rel_code, x.via_ci_id,
           (SELECT coalesce(json_agg(json_build_array(e.id, e.to_ci_id, et.code) ORDER BY e.id), '[]'::json)
              FROM cmdb_relationships e
              LEFT JOIN cmdb_relationship_types et ON et.id = e.rel_type_id
             WHERE e.from_ci_id = x.ci_id AND coalesce(e.status, 'active') = 'active'
               AND e.to_ci_id IN (SELECT ci_id FROM reached)) AS out_edges
      FROM reached x
      JOIN cmdb_cis c ON c.id = x.ci_id
      LEFT JOIN cmdb_ci_types t ON t.id = c.type_id
      LEFT JOIN cmdb_relationship_types rt ON rt.id = x.rel_type_id`;
}

const serviceMapQuery = preparedPer(
  "netops_service_map",
  (db, name) =>
    db
      .select({
        ciId: sql<string>`map.ci_id`,
        ciCode: sql<string>`map.ci_code`,
        name: sql<string>`map.name`,
        typeCode: sql<string | null>`map.type_code`,
        status: sql<string | null>`map.status`,
        environment: sql<string | null>`map.environment`,
        depth: sql<number>`map.depth`.mapWith(Number),
        role: sql<string | null>`map.role`,
        memberCiId: sql<string>`map.member_ci_id`,
        relationshipId: sql<string | null>`map.rel_id`,
        relationshipCode: sql<string | null>`map.rel_code`,
        viaCiId: sql<string | null>`map.via_ci_id`,
        outEdges: sql<[string, string, string | null][] | string>`map.out_edges`,
      })
      .from(
        sql`(${serviceMapSql(sql`${sql.placeholder("service")}::uuid`, sql`${sql.placeholder("maxDepth")}::int`)}) AS map`,
      )
      .orderBy(sql`map.depth`, sql`map.ci_code`)
      .prepare(name),
  { read: true },
);

/** A service's member CIs and everything they depend on, to maxDepth, in one recursive query. */
export async function serviceMap(db: DbOrTx, input: ServiceMapInput): Promise<ServiceMap> {
  return withDbErrors("serviceMap", async () => {
    const q = parseInput(serviceMapInput, input);
    const [service] = await db
      .select({
        id: cmdbServices.id,
        code: cmdbServices.code,
        name: cmdbServices.name,
        criticality: cmdbServices.criticality,
        status: cmdbServices.status,
      })
      .from(cmdbServices)
      .where(sql`${cmdbServices.id} = ${q.serviceId}`);
    if (!service) throw new NotFoundError("service", q.serviceId);
    const rows = await serviceMapQuery(db).execute({ service: q.serviceId, maxDepth: q.maxDepth });
    const edges: ServiceMap["edges"] = [];
    const nodes = rows.map(({ outEdges, ...node }) => {
      const list =
        typeof outEdges === "string" ? (JSON.parse(outEdges) as [string, string, string | null][]) : outEdges;
      for (const [id, toCiId, code] of list) edges.push({ id, fromCiId: node.ciId, toCiId, code });
      return { ...node, isMember: node.depth === 0 };
    });
    return { service, nodes, edges };
  });
}
