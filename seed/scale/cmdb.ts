/**
 * CMDB side of the scale data set: CIs in contiguous blocks per kind, attribute values valid for the
 * type's active version, and a dependency graph shaped like a real estate (every active edge
 * from -> to means "from depends on to"):
 *   endpoint -> load balancer, endpoint -> app (depends_on); load balancer -> apps (load_balances);
 *   app -> databases, app -> apps (depends_on; a few platform apps are hubs, and app<->app edges close
 *   cycles); app -> VMs, database -> VMs or hosts, VM -> host (runs_on; plus a retired previous host);
 *   VM -> storage, host -> two access switches (depends_on); access -> two distribution switches,
 *   distribution -> two core switches (connects_to); storage -> databases (backs_up).
 * The core switches are the hubs: depth 4 of their dependents reaches tens of thousands of CIs.
 */

import type { JsonObject } from "../../src/schema/_helpers.js";
import { macFrom, pad, valuesFor } from "../generate.js";
import { assetAt, assetKind, type LocationTree } from "./assets.js";
import { CATEGORY_PLAN } from "./catalog.js";
import { addDays, at, type ScaleContext, type TableStream, weighted } from "./context.js";
import { fieldsParser } from "./fields.js";
import { rngAt } from "./ids.js";

const KINDS = [
  { kind: "endpoint", type: "business_service_endpoint", prefix: "EP", team: "Digital" },
  { kind: "lb", type: "load_balancer", prefix: "LB", team: "Network" },
  { kind: "app", type: "application", prefix: "APP", team: "Platform" },
  { kind: "db", type: "database", prefix: "DB", team: "Data" },
  { kind: "vm", type: "virtual_machine", prefix: "VM", team: "Platform" },
  { kind: "host", type: "physical_server", prefix: "HOST", team: "Infrastructure" },
  { kind: "storage", type: "storage", prefix: "STO", team: "Infrastructure" },
  { kind: "net", type: "network_device", prefix: "NET", team: "Network" },
] as const;
export type CiKind = (typeof KINDS)[number]["kind"];

export interface CiLayout {
  start: Record<CiKind, number>;
  count: Record<CiKind, number>;
  total: number;
}

export function ciLayout(ctx: ScaleContext): CiLayout {
  const start = {} as Record<CiKind, number>;
  const count = {} as Record<CiKind, number>;
  let next = 0;
  for (const k of KINDS) {
    start[k.kind] = next;
    count[k.kind] = ctx.counts.cis[k.kind];
    next += count[k.kind];
  }
  return { start, count, total: next };
}

/** Kind and position within its kind of CI c. */
function kindOf(layout: CiLayout, c: number): { spec: (typeof KINDS)[number]; k: number } {
  for (let i = KINDS.length - 1; i >= 0; i--) {
    const spec = KINDS[i] as (typeof KINDS)[number];
    if (c >= layout.start[spec.kind]) return { spec, k: c - layout.start[spec.kind] };
  }
  throw new Error(`CI ${c} out of range`);
}

/** Assets in use that back CIs: servers -> hosts, switches/routers/firewalls -> network devices, arrays -> storage. */
export interface CiAssets {
  host: number[];
  net: number[];
  storage: number[];
}

export function ciAssets(ctx: ScaleContext, layout: CiLayout): CiAssets {
  const byCategory = (names: string[]) =>
    new Set(names.map((n) => CATEGORY_PLAN.findIndex((p) => p.category === n)));
  const host = byCategory(["Server"]);
  const net = byCategory(["Switch", "Router", "Firewall"]);
  const storage = byCategory(["Storage Array"]);
  const out: CiAssets = { host: [], net: [], storage: [] };
  for (let n = 0; n < ctx.counts.assets; n++) {
    const { catIndex, status } = assetKind(ctx, n);
    if (status !== "in_use") continue;
    if (host.has(catIndex) && out.host.length < layout.count.host) out.host.push(n);
    else if (net.has(catIndex) && out.net.length < layout.count.net) out.net.push(n);
    else if (storage.has(catIndex) && out.storage.length < layout.count.storage) out.storage.push(n);
  }
  return out;
}

export interface CiFacts {
  c: number;
  kind: CiKind;
  type: string;
  code: string;
  name: string;
  asset: number | null;
}

export function ciAt(ctx: ScaleContext, layout: CiLayout, linked: CiAssets, c: number): CiFacts {
  const { spec, k } = kindOf(layout, c);
  const asset =
    spec.kind === "host" || spec.kind === "net" || spec.kind === "storage"
      ? (linked[spec.kind][k] ?? null)
      : null;
  const role = spec.kind === "net" ? netRole(ctx, k) : "";
  const name =
    spec.kind === "net" ? `${role}-sw-${pad(k + 1, 5)}` : `${spec.prefix.toLowerCase()}-${pad(k + 1, 6)}`;
  return { c, kind: spec.kind, type: spec.type, code: `CI-${spec.prefix}-${pad(k + 1, 6)}`, name, asset };
}

/** Network devices: the first ones are core, then distribution, the rest access. */
function netRole(ctx: ScaleContext, k: number): "core" | "distribution" | "access" {
  if (k < ctx.counts.coreSwitches) return "core";
  return k < ctx.counts.coreSwitches + ctx.counts.distributionSwitches ? "distribution" : "access";
}

const CI_STATUS = [
  ["active", 92],
  ["maintenance", 3],
  ["planned", 3],
  ["retired", 2],
] as const;
const CI_ENV = [
  ["prod", 70],
  ["uat", 15],
  ["dev", 15],
] as const;

export function ciStream(
  ctx: ScaleContext,
  tree: LocationTree,
  layout: CiLayout,
  linked: () => CiAssets,
): TableStream {
  return {
    table: "cmdb_cis",
    columns: [
      "id",
      "type_id",
      "name",
      "ci_code",
      "status",
      "environment",
      "asset_id",
      "location_id",
      "owner_team",
      "created_at",
      "updated_at",
    ],
    expected: layout.total,
    *rows() {
      const links = linked();
      for (let c = 0; c < layout.total; c++) {
        const ci = ciAt(ctx, layout, links, c);
        const r = rngAt(ctx.seed, "cmdb_cis", c);
        const physical = ci.asset === null ? null : assetAt(ctx, tree, ci.asset);
        const created = at(addDays("2020-01-01", r.int(0, 1900)), r.int(25_000, 60_000));
        yield [
          ctx.id("cmdb_cis", c),
          ctx.ref.ciTypes.get(ci.type)?.id,
          ci.name,
          ci.code,
          physical ? "active" : weighted(r.next(), CI_STATUS),
          physical ? "prod" : weighted(r.next(), CI_ENV),
          physical ? ctx.id("assets", physical.n) : null,
          physical ? ctx.id("locations", physical.location) : null,
          KINDS.find((k) => k.kind === ci.kind)?.team,
          created,
          created,
        ];
      }
    },
  };
}

/** Attribute values of a CI, generated for its type's active definitions and validated against them. */
export function ciAttributes(
  ctx: ScaleContext,
  tree: LocationTree,
  ci: CiFacts,
  parse: (v: unknown) => JsonObject,
): JsonObject {
  const type = ctx.ref.ciTypes.get(ci.type);
  if (!type) throw new Error(`reference CI type ${ci.type} is missing`);
  const physical = ci.asset === null ? null : assetAt(ctx, tree, ci.asset);
  const fixed: JsonObject = {};
  if (physical?.ip) {
    if (ci.kind === "host") fixed.primary_ip = physical.ip;
    else fixed.management_ip = physical.ip;
  }
  if (ci.kind === "net") fixed.role = ci.name.split("-")[0] as string;
  if (physical?.mac && ci.kind !== "storage") fixed.base_mac = physical.mac;
  const c = ci.c;
  const r = rngAt(ctx.seed, "cmdb_ci_attr_values", c);
  return parse(
    valuesFor(type.defs, r, {
      name: ci.name,
      fixed,
      ip: () => `10.${200 + ((c >>> 16) & 31)}.${(c >>> 8) & 255}.${((c & 255) % 254) + 1}`,
      mac: () => macFrom("02005e", c),
      day: "2024-01-01",
    }),
  );
}

export function attrValueStream(
  ctx: ScaleContext,
  tree: LocationTree,
  layout: CiLayout,
  linked: () => CiAssets,
): TableStream {
  return {
    table: "cmdb_ci_attr_values",
    columns: ["id", "ci_id", "version_id", "key", "value", "updated_at"],
    expected: layout.total * 5,
    *rows() {
      const links = linked();
      const parsers = new Map([...ctx.ref.ciTypes].map(([code, t]) => [code, fieldsParser(t.defs)]));
      let k = 0;
      for (let c = 0; c < layout.total; c++) {
        const ci = ciAt(ctx, layout, links, c);
        const type = ctx.ref.ciTypes.get(ci.type);
        const values = ciAttributes(ctx, tree, ci, parsers.get(ci.type) as (v: unknown) => JsonObject);
        for (const [key, value] of Object.entries(values)) {
          if (value === null || value === undefined) continue;
          yield [
            ctx.id("cmdb_ci_attr_values", k++),
            ctx.id("cmdb_cis", c),
            type?.versionId,
            key,
            JSON.stringify(value),
            "2025-05-01 08:00:00+00",
          ];
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Relationships

export interface EdgeFacts {
  relType: string;
  from: number;
  to: number;
  retired: boolean;
}

/** Outgoing edges of CI c (each (type, from, to) once, never to itself), in a fixed order. */
export function edgesFrom(ctx: ScaleContext, layout: CiLayout, c: number): EdgeFacts[] {
  const { spec, k } = kindOf(layout, c);
  const r = rngAt(ctx.seed, "cmdb_relationships", c);
  const { start, count } = layout;
  const out: EdgeFacts[] = [];
  const add = (relType: string, to: number, retired = false) => {
    if (to === c || out.some((e) => e.to === to)) return;
    out.push({ relType, from: c, to, retired });
  };
  const any = (kind: CiKind) => start[kind] + r.int(0, count[kind] - 1);
  const core = ctx.counts.coreSwitches;
  const dist = ctx.counts.distributionSwitches;
  const access = count.net - core - dist;
  switch (spec.kind) {
    case "endpoint":
      add("depends_on", any("lb"));
      if (r.chance(0.1)) add("depends_on", any("lb"));
      for (let i = r.int(1, 2); i > 0; i--) add("depends_on", any("app"));
      break;
    case "lb":
      for (let i = r.int(4, 12); i > 0; i--) add("load_balances", any("app"));
      break;
    case "app":
      for (let i = r.int(1, 2); i > 0; i--) add("depends_on", any("db"));
      for (let i = r.int(0, 5); i > 0; i--) {
        add("depends_on", r.chance(0.4) ? start.app + r.int(0, ctx.counts.platformApps - 1) : any("app"));
      }
      for (let i = r.int(2, 5); i > 0; i--) add("runs_on", any("vm"));
      break;
    case "db":
      for (let i = r.int(1, 3); i > 0; i--) add("runs_on", r.chance(0.2) ? any("host") : any("vm"));
      break;
    case "vm": {
      add("runs_on", any("host"));
      if (r.chance(0.2)) add("runs_on", any("host"), true);
      add("depends_on", any("storage"));
      break;
    }
    case "host":
      if (access > 0)
        for (let i = 0; i < 2; i++) add("depends_on", start.net + core + dist + r.int(0, access - 1));
      break;
    case "storage":
      for (let d = k; d < count.db; d += count.storage) add("backs_up", start.db + d);
      break;
    case "net": {
      if (k >= core + dist)
        for (let i = 0; i < 2; i++) add("connects_to", start.net + core + r.int(0, dist - 1));
      else if (k >= core) for (let i = 0; i < 2; i++) add("connects_to", start.net + r.int(0, core - 1));
      break;
    }
  }
  return out;
}

export function relationshipStream(ctx: ScaleContext, layout: CiLayout): TableStream {
  return {
    table: "cmdb_relationships",
    columns: ["id", "rel_type_id", "from_ci_id", "to_ci_id", "status", "since_date", "created_at"],
    expected: Math.round(3.2 * layout.total),
    *rows() {
      let k = 0;
      for (let c = 0; c < layout.total; c++) {
        for (const e of edgesFrom(ctx, layout, c)) {
          const since = addDays("2021-01-01", (e.from * 7 + e.to) % 1500);
          yield [
            ctx.id("cmdb_relationships", k++),
            ctx.ref.relTypes.get(e.relType),
            ctx.id("cmdb_cis", e.from),
            ctx.id("cmdb_cis", e.to),
            e.retired ? "retired" : "active",
            since,
            at(since, 36_000),
          ];
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Business services: an endpoint, a few applications and a database each

export function serviceStream(ctx: ScaleContext): TableStream {
  return {
    table: "cmdb_services",
    columns: ["id", "code", "name", "criticality", "owner", "sla", "status", "created_at"],
    expected: ctx.counts.services,
    *rows() {
      for (let s = 0; s < ctx.counts.services; s++) {
        const r = rngAt(ctx.seed, "cmdb_services", s);
        const criticality = weighted(r.next(), [
          ["critical", 5],
          ["high", 20],
          ["medium", 50],
          ["low", 25],
        ] as const);
        yield [
          ctx.id("cmdb_services", s),
          `SVC-${pad(s + 1, 5)}`,
          `Business service ${s + 1}`,
          criticality,
          "IT Operations",
          criticality === "critical" ? "99.95%" : "99.5%",
          "active",
          at("2021-06-01", 36_000),
        ];
      }
    },
  };
}

export function serviceMemberStream(ctx: ScaleContext, layout: CiLayout): TableStream {
  return {
    table: "cmdb_service_members",
    columns: ["id", "service_id", "ci_id", "role", "created_at"],
    expected: ctx.counts.services * 6,
    *rows() {
      let k = 0;
      for (let s = 0; s < ctx.counts.services; s++) {
        const r = rngAt(ctx.seed, "cmdb_service_members", s);
        const members: [number, string][] = [
          [layout.start.endpoint + (s % layout.count.endpoint), "entry point"],
        ];
        for (let i = r.int(2, 5); i > 0; i--)
          members.push([layout.start.app + r.int(0, layout.count.app - 1), "application"]);
        members.push([layout.start.db + r.int(0, layout.count.db - 1), "database"]);
        const seen = new Set<number>();
        for (const [ci, role] of members) {
          if (seen.has(ci)) continue;
          seen.add(ci);
          yield [
            ctx.id("cmdb_service_members", k++),
            ctx.id("cmdb_services", s),
            ctx.id("cmdb_cis", ci),
            role,
            at("2021-06-01", 36_000),
          ];
        }
      }
    },
  };
}
