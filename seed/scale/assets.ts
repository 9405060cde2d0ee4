/**
 * Assets side of the scale data set: the location tree (region / site / building / floor / room,
 * racks in each building's server room), vendors, models with specs valid for their category's
 * active spec version, assets, their assignments and events, attachments and inventory sessions.
 *
 * Asset n is a pure function of (seed, n): its site is fixed by its position (sites own contiguous
 * ranges, so management IPs of a site share subnets as in a real network), everything else comes
 * from its own PRNG. Unique columns are derived from n: asset_code, serial (a bijection of n),
 * MAC (vendor OUI + n), management IP (10.0.0.0/8, 254 hosts per /24, in asset order).
 */
import type { JsonObject } from "../../src/schema/_helpers.js";
import type { ASSET_STATUSES } from "../../src/schema/assets/tables.js";
import { macFrom, pad, valuesFor } from "../generate.js";
import {
  BASE_DAY,
  CATEGORY_PLAN,
  type CategoryPlan,
  DEPARTMENTS,
  FIRST_NAMES,
  LAST_NAMES,
  REGIONS,
  VENDORS,
} from "./catalog.js";
import { addDays, at, type ScaleContext, type TableStream, weighted } from "./context.js";
import { fieldsParser } from "./fields.js";
import { rngAt, scramble } from "./ids.js";

type AssetStatus = (typeof ASSET_STATUSES)[number];

// ---------------------------------------------------------------------------------------------
// Locations

export interface LocationTree {
  rows: { name: string; parent: number; path: string }[];
  sites: { code: string; rooms: number[]; racks: number[]; buildings: number[] }[];
  /** Building (location index) of every room and rack; -1 elsewhere. */
  buildingOf: Int32Array;
}

export function locationTree(ctx: ScaleContext): LocationTree {
  const rows: LocationTree["rows"] = [];
  const buildingOfList: number[] = [];
  const add = (name: string, parent: number, building = -1) => {
    rows.push({ name, parent, path: `${parent < 0 ? "/" : rows[parent]?.path}${name}/` });
    buildingOfList.push(building);
    return rows.length - 1;
  };
  const regions = REGIONS.map((name) => add(name, -1));
  const sites: LocationTree["sites"] = [];
  const S = ctx.counts.sites;
  for (let s = 0; s < S; s++) {
    const r = rngAt(ctx.seed, "site", s);
    const code = `S${pad(s + 1, 4)}`;
    const site = add(`Site ${code}`, regions[Math.floor((s * regions.length) / S)] as number);
    const rooms: number[] = [];
    const racks: number[] = [];
    const buildings: number[] = [];
    const nb = r.int(2, 4);
    for (let b = 0; b < nb; b++) {
      const building = add(`Building ${String.fromCharCode(65 + b)}`, site);
      buildings.push(building);
      const floors = r.int(2, 6);
      for (let f = 1; f <= floors; f++) {
        const floor = add(`Floor ${f}`, building);
        const roomCount = r.int(4, 10);
        for (let k = 1; k <= roomCount; k++) {
          if (f === 1 && k === 1) {
            const serverRoom = add("Server Room", floor, building);
            const rackCount = r.int(6, 14);
            for (let q = 1; q <= rackCount; q++) racks.push(add(`Rack ${pad(q, 2)}`, serverRoom, building));
          } else {
            rooms.push(add(`Room ${f}${pad(k, 2)}`, floor, building));
          }
        }
      }
    }
    sites.push({ code, rooms, racks, buildings });
  }
  return { rows, sites, buildingOf: Int32Array.from(buildingOfList) };
}

export function locationStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "locations",
    columns: ["id", "name", "parent_id", "path", "created_at"],
    expected: tree.rows.length,
    *rows() {
      for (const [n, l] of tree.rows.entries()) {
        yield [
          ctx.id("locations", n),
          l.name,
          l.parent < 0 ? null : ctx.id("locations", l.parent),
          l.path,
          at("2016-01-04", 32_400),
        ];
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Vendors and models

export function vendorStream(ctx: ScaleContext): TableStream {
  return {
    table: "vendors",
    columns: ["id", "name", "tax_code", "phone", "email", "address", "created_at"],
    expected: VENDORS.length,
    *rows() {
      for (const [n, v] of VENDORS.entries()) {
        const domain = v.brand.toLowerCase().replace(/[^a-z]/g, "");
        yield [
          ctx.id("vendors", n),
          v.name,
          `03${pad(10_000_000 + n * 7919, 8)}`,
          `+84 28 ${pad(3800 + n, 4)} ${pad(1000 + n * 37, 4)}`,
          `sales@${domain}.example.com`,
          `${n + 1} Vendor Street, District 1, Ho Chi Minh City`,
          at("2016-01-04", 32_400),
        ];
      }
    },
  };
}

export interface ModelFacts {
  n: number;
  vendor: number;
  brand: string;
  name: string;
}

/** Model k of a category: global index = category index * models per category + k. */
export function modelOf(ctx: ScaleContext, catIndex: number, k: number): ModelFacts {
  const plan = CATEGORY_PLAN[catIndex] as CategoryPlan;
  const vendor = plan.vendors[k % plan.vendors.length] as number;
  const brand = VENDORS[vendor]?.brand as string;
  return {
    n: catIndex * ctx.counts.modelsPerCategory + k,
    vendor,
    brand,
    name: `${brand} ${plan.prefix}-${pad(1000 + k * 7, 4)}`,
  };
}

const specParsers = new WeakMap<object, (value: unknown) => JsonObject>();

/** Spec of a model: the generic generator's values for the model-level fields, validated against the active spec version. */
export function modelSpec(ctx: ScaleContext, catIndex: number, k: number): JsonObject {
  const plan = CATEGORY_PLAN[catIndex] as CategoryPlan;
  const category = ctx.ref.categories.get(plan.category);
  if (!category) throw new Error(`reference category ${plan.category} is missing`);
  let parse = specParsers.get(category);
  if (!parse) {
    parse = fieldsParser(category.defs);
    specParsers.set(category, parse);
  }
  // Addresses and extensions belong to the asset, not the model (as in the demo data set).
  const modelDefs = category.defs.filter(
    (d) => d.fieldType !== "ip" && d.fieldType !== "mac" && d.key !== "extension",
  );
  const r = rngAt(ctx.seed, "asset_models", catIndex * 100_003 + k);
  return parse(valuesFor(modelDefs, r, { name: modelOf(ctx, catIndex, k).name, day: BASE_DAY }));
}

export function modelStream(ctx: ScaleContext): TableStream {
  const M = ctx.counts.modelsPerCategory;
  return {
    table: "asset_models",
    columns: ["id", "category_id", "spec_version_id", "vendor_id", "brand", "model", "spec", "created_at"],
    expected: CATEGORY_PLAN.length * M,
    *rows() {
      for (const [c, plan] of CATEGORY_PLAN.entries()) {
        const category = ctx.ref.categories.get(plan.category);
        for (let k = 0; k < M; k++) {
          const m = modelOf(ctx, c, k);
          yield [
            ctx.id("asset_models", m.n),
            category?.id,
            category?.specVersionId,
            ctx.id("vendors", m.vendor),
            m.brand,
            m.name,
            modelSpec(ctx, c, k),
            at("2016-01-04", 36_000),
          ];
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Assets

const INFRA_STATUS: [AssetStatus, number][] = [
  ["in_use", 90],
  ["in_stock", 5],
  ["in_repair", 3],
  ["retired", 2],
];
const END_USER_STATUS: [AssetStatus, number][] = [
  ["in_use", 75],
  ["in_stock", 14],
  ["in_repair", 5],
  ["retired", 4],
  ["lost", 1],
  ["disposed", 1],
];
const CATEGORY_WEIGHTS = CATEGORY_PLAN.map((p, i) => [i, p.weight] as const);

export interface AssetFacts {
  n: number;
  code: string;
  catIndex: number;
  plan: CategoryPlan;
  status: AssetStatus;
  site: number;
  location: number;
  model: ModelFacts;
  serial: string;
  mac: string | null;
  ip: string | null;
  hostname: string | null;
  switchName: string | null;
  switchPort: string | null;
  purchase: string;
  warrantyEnd: string;
  created: string;
}

export const siteOfAsset = (ctx: ScaleContext, n: number) =>
  Math.floor((n * ctx.counts.sites) / ctx.counts.assets);

/** First asset index of a site (sites own contiguous ranges). */
export const firstAssetOfSite = (ctx: ScaleContext, s: number) =>
  Math.ceil((s * ctx.counts.assets) / ctx.counts.sites);

/** Category and status only (the first two draws of the asset's PRNG): cheap scans for CI links. */
export function assetKind(ctx: ScaleContext, n: number): { catIndex: number; status: AssetStatus } {
  const r = rngAt(ctx.seed, "assets", n);
  const catIndex = weighted(r.next(), CATEGORY_WEIGHTS);
  const plan = CATEGORY_PLAN[catIndex] as CategoryPlan;
  return { catIndex, status: weighted(r.next(), plan.infra ? INFRA_STATUS : END_USER_STATUS) };
}

/** 10.0.0.0/8 in asset order, hosts .1 to .254 of each /24. */
export function ipOfAsset(n: number): string {
  const subnet = Math.floor(n / 254);
  return `10.${subnet >> 8}.${subnet & 255}.${(n % 254) + 1}`;
}

export function assetAt(ctx: ScaleContext, tree: LocationTree, n: number): AssetFacts {
  const r = rngAt(ctx.seed, "assets", n);
  const catIndex = weighted(r.next(), CATEGORY_WEIGHTS);
  const plan = CATEGORY_PLAN[catIndex] as CategoryPlan;
  const status = weighted(r.next(), plan.infra ? INFRA_STATUS : END_USER_STATUS);
  const site = siteOfAsset(ctx, n);
  const siteInfo = tree.sites[site] as LocationTree["sites"][number];
  const location = plan.infra ? r.pick(siteInfo.racks) : r.pick(siteInfo.rooms);
  const model = modelOf(ctx, catIndex, r.int(0, ctx.counts.modelsPerCategory - 1));
  const oui = VENDORS[model.vendor]?.oui as string;
  const width = Math.max(7, String(ctx.counts.assets).length);
  const purchaseOffset = r.int(0, 3000);
  const purchase = addDays("2017-01-01", purchaseOffset);
  const hostname = plan.managed
    ? `${siteInfo.code.toLowerCase()}-${plan.prefix.toLowerCase()}-${pad(n + 1, width)}`
    : null;
  const switched = plan.networked && !plan.infra;
  return {
    n,
    code: `${plan.prefix}-${pad(n + 1, width)}`,
    catIndex,
    plan,
    status,
    site,
    location,
    model,
    serial: `${model.brand.slice(0, 3).toUpperCase()}${scramble(ctx.seed, n).toString(36).toUpperCase().padStart(7, "0")}`,
    mac: plan.networked ? macFrom(oui, n) : null,
    ip: plan.managed ? ipOfAsset(n) : null,
    hostname,
    switchName: switched ? `${siteInfo.code.toLowerCase()}-sw-acc-${pad(r.int(1, 40), 2)}` : null,
    switchPort: switched ? `Gi1/0/${r.int(1, 48)}` : null,
    purchase,
    warrantyEnd: addDays(purchase, plan.infra ? 1826 : 1096),
    created: at(purchase, 28_800 + r.int(0, 32_400)),
  };
}

export const ASSET_COLUMNS = [
  "id",
  "asset_code",
  "model_id",
  "serial_no",
  "mac_address",
  "mgmt_ip",
  "hostname",
  "vlan_id",
  "switch_name",
  "switch_port",
  "location_id",
  "status",
  "purchase_date",
  "warranty_end",
  "vendor_id",
  "notes",
  "created_at",
  "updated_at",
] as const;

/** The asset's row as the application would insert it (camelCase keys, for the validation layer). */
export function assetInsert(ctx: ScaleContext, a: AssetFacts) {
  return {
    id: ctx.id("assets", a.n),
    assetCode: a.code,
    modelId: ctx.id("asset_models", a.model.n),
    serialNo: a.serial,
    macAddress: a.mac,
    mgmtIp: a.ip,
    hostname: a.hostname,
    vlanId: a.plan.vlan,
    switchName: a.switchName,
    switchPort: a.switchPort,
    locationId: ctx.id("locations", a.location),
    status: a.status,
    purchaseDate: a.purchase,
    warrantyEnd: a.warrantyEnd,
    vendorId: ctx.id("vendors", a.model.vendor),
    notes:
      a.status === "in_repair"
        ? "Sent for diagnosis"
        : a.status === "lost"
          ? "Not found at last inventory"
          : null,
  };
}

export function assetStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "assets",
    columns: ASSET_COLUMNS,
    expected: ctx.counts.assets,
    *rows() {
      for (let n = 0; n < ctx.counts.assets; n++) {
        const a = assetAt(ctx, tree, n);
        const v = assetInsert(ctx, a);
        yield [
          v.id,
          v.assetCode,
          v.modelId,
          v.serialNo,
          v.macAddress,
          v.mgmtIp,
          v.hostname,
          v.vlanId,
          v.switchName,
          v.switchPort,
          v.locationId,
          v.status,
          v.purchaseDate,
          v.warrantyEnd,
          v.vendorId,
          v.notes,
          a.created,
          a.created,
        ];
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// People (users of core/tables.ts; assignments and sessions name them)

export function personOf(ctx: ScaleContext, u: number) {
  const r = rngAt(ctx.seed, "people", u);
  const first = r.pick(FIRST_NAMES);
  const last = r.pick(LAST_NAMES);
  return {
    username: `u${pad(u + 1, 6)}`,
    name: `${last} ${first}`,
    email: `${first}.${last}.${u + 1}@corp.example.com`.toLowerCase(),
  };
}

// ---------------------------------------------------------------------------------------------
// Assignments and events

interface AssignmentFacts {
  assigneeType: "person" | "department" | "system";
  assigneeId: string;
  assigneeName: string;
  assignedAt: string;
  returnedAt: string | null;
}

/** The assignments of an asset, oldest first: at most one returned one, then the open one if any. */
export function assignmentsOf(ctx: ScaleContext, a: AssetFacts): AssignmentFacts[] {
  const r = rngAt(ctx.seed, "asset_assignments", a.n);
  const who = (): Omit<AssignmentFacts, "assignedAt" | "returnedAt"> => {
    if (a.plan.infra)
      return {
        assigneeType: "system",
        assigneeId: `ops-${a.plan.prefix.toLowerCase()}`,
        assigneeName: `${a.plan.category} operations`,
      };
    if (a.plan.prefix === "PRN" || a.plan.prefix === "AP") {
      const dept = r.pick(DEPARTMENTS);
      return { assigneeType: "department", assigneeId: dept.toLowerCase(), assigneeName: dept };
    }
    const p = personOf(ctx, r.int(0, ctx.counts.users - 1));
    return { assigneeType: "person", assigneeId: p.username, assigneeName: p.name };
  };
  const purchase = a.purchase;
  const out: AssignmentFacts[] = [];
  let day = r.int(3, 60);
  if (r.chance(a.status === "in_stock" && !a.plan.infra ? 0.5 : 0.12)) {
    const returned = day + r.int(30, 700);
    out.push({
      ...who(),
      assignedAt: at(addDays(purchase, day), 32_400),
      returnedAt: at(addDays(purchase, returned), 50_400),
    });
    day = returned + r.int(1, 30);
  }
  const open = a.status === "in_use" || (a.status === "in_repair" && !a.plan.infra && r.chance(0.6));
  if (open) out.push({ ...who(), assignedAt: at(addDays(purchase, day), 36_000), returnedAt: null });
  return out;
}

export function assignmentStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "asset_assignments",
    columns: [
      "id",
      "asset_id",
      "assignee_type",
      "assignee_id",
      "assignee_name",
      "assigned_at",
      "returned_at",
      "note",
    ],
    expected: Math.round(ctx.counts.assets * 0.9),
    *rows() {
      let k = 0;
      for (let n = 0; n < ctx.counts.assets; n++) {
        const a = assetAt(ctx, tree, n);
        for (const s of assignmentsOf(ctx, a)) {
          yield [
            ctx.id("asset_assignments", k++),
            ctx.id("assets", n),
            s.assigneeType,
            s.assigneeId,
            s.assigneeName,
            s.assignedAt,
            s.returnedAt,
            s.returnedAt ? "returned" : null,
          ];
        }
      }
    },
  };
}

export function eventStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "asset_events",
    columns: ["id", "asset_id", "event_type", "payload", "actor_user_id", "correlation_id", "created_at"],
    expected: Math.round(ctx.counts.assets * 2),
    *rows() {
      let k = 0;
      for (let n = 0; n < ctx.counts.assets; n++) {
        const a = assetAt(ctx, tree, n);
        const assetId = ctx.id("assets", n);
        yield [
          ctx.id("asset_events", k++),
          assetId,
          "created",
          { assetCode: a.code, status: "in_stock" },
          "import",
          null,
          a.created,
        ];
        for (const s of assignmentsOf(ctx, a)) {
          yield [
            ctx.id("asset_events", k++),
            assetId,
            "assigned",
            { assigneeType: s.assigneeType, assigneeId: s.assigneeId },
            "helpdesk",
            null,
            s.assignedAt,
          ];
          if (s.returnedAt)
            yield [
              ctx.id("asset_events", k++),
              assetId,
              "returned",
              { assigneeId: s.assigneeId },
              "helpdesk",
              null,
              s.returnedAt,
            ];
        }
        if (a.status !== "in_use" && a.status !== "in_stock") {
          yield [
            ctx.id("asset_events", k++),
            assetId,
            "status_changed",
            { from: "in_use", to: a.status },
            "helpdesk",
            null,
            at(addDays(BASE_DAY, -1 - (n % 300)), 43_200),
          ];
        }
      }
    },
  };
}

export function attachmentStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "asset_attachments",
    columns: [
      "id",
      "asset_id",
      "file_name",
      "mime_type",
      "storage_key",
      "size_bytes",
      "version",
      "uploaded_by",
      "created_at",
    ],
    expected: Math.round(ctx.counts.assets * 0.03),
    *rows() {
      let k = 0;
      for (let n = 0; n < ctx.counts.assets; n++) {
        const r = rngAt(ctx.seed, "asset_attachments", n);
        if (!r.chance(0.03)) continue;
        const a = assetAt(ctx, tree, n);
        yield [
          ctx.id("asset_attachments", k),
          ctx.id("assets", n),
          `invoice-${a.code}.pdf`,
          "application/pdf",
          `assets/${a.code}/invoice-v1.pdf`,
          r.int(40_000, 2_000_000),
          1,
          "procurement",
          a.created,
        ];
        k += 1;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Inventory sessions: one building per session, every asset expected there becomes an item

function sessionSite(ctx: ScaleContext, k: number) {
  return Math.floor((k * ctx.counts.sites) / ctx.counts.inventorySessions);
}

export function inventorySessionStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  const K = ctx.counts.inventorySessions;
  return {
    table: "inventory_sessions",
    columns: ["id", "name", "location_id", "status", "started_at", "closed_at", "created_by", "created_at"],
    expected: K,
    *rows() {
      for (let k = 0; k < K; k++) {
        const site = tree.sites[sessionSite(ctx, k)] as LocationTree["sites"][number];
        const building = site.buildings[0] as number;
        const day = addDays(BASE_DAY, -7 * (K - k));
        const open = k === K - 1;
        yield [
          ctx.id("inventory_sessions", k),
          `Inventory ${site.code} ${tree.rows[building]?.name} ${day}`,
          ctx.id("locations", building),
          open ? "in_progress" : "closed",
          at(day, 25_200),
          open ? null : at(addDays(day, 2), 61_200),
          "inventory-team",
          at(day, 25_200),
        ];
      }
    },
  };
}

export function inventoryItemStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  const K = ctx.counts.inventorySessions;
  return {
    table: "inventory_items",
    columns: [
      "id",
      "session_id",
      "asset_id",
      "expected_location_id",
      "scanned_location_id",
      "scanned_at",
      "status",
    ],
    expected: Math.round((ctx.counts.assets / ctx.counts.sites) * K * 0.3),
    *rows() {
      let item = 0;
      for (let k = 0; k < K; k++) {
        const s = sessionSite(ctx, k);
        const site = tree.sites[s] as LocationTree["sites"][number];
        const building = site.buildings[0] as number;
        const day = addDays(BASE_DAY, -7 * (K - k));
        const end = firstAssetOfSite(ctx, s + 1);
        for (let n = firstAssetOfSite(ctx, s); n < end; n++) {
          const a = assetAt(ctx, tree, n);
          if (tree.buildingOf[a.location] !== building || a.status === "disposed") continue;
          const r = rngAt(ctx.seed, "inventory_items", n * 7 + k);
          const status = weighted(r.next(), [
            ["found", 85],
            ["moved", 7],
            ["missing", 5],
            ["unknown", 3],
          ] as const);
          const scanned = status === "found" ? a.location : status === "moved" ? r.pick(site.rooms) : null;
          yield [
            ctx.id("inventory_items", item++),
            ctx.id("inventory_sessions", k),
            ctx.id("assets", n),
            ctx.id("locations", a.location),
            scanned === null ? null : ctx.id("locations", scanned),
            scanned === null ? null : at(addDays(day, r.int(0, 1)), r.int(28_800, 61_200)),
            status,
          ];
        }
      }
    },
  };
}
