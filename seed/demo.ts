/**
 * The demo data set: deterministic from a fixed seed (same seed -> same codes, IPs, MACs, specs,
 * graph), loaded on top of the reference data in one transaction, from the plan in
 * seed/demo-plan.ts. Built through the domain operations (src/queries): locations, models and
 * assets are created, assets brought to their status by the lifecycle (assignments, returns,
 * transitions, repair orders with parts issued through posted documents), opening stock received
 * through the ledger, one stock count scanned; so the data obeys every rule the domain enforces.
 * Vendors, warehouses, parts, CIs and services have no creating operation and are inserted.
 *
 * Refuses a database whose host is not local unless `force` (it is for development machines).
 * Runs once per database: when demo assets exist it does nothing (reported as skipped).
 */

import { eq, isNull, like, sql } from "drizzle-orm";
import { type DbOrTx, rows, type Transaction } from "../src/db.js";
import { DemoRefusedError } from "../src/errors/operational.js";
import { isLocalUrl } from "../src/migrate/server.js";
import {
  addRepairParts,
  assignAsset,
  createAsset,
  createAssetModel,
  createLocation,
  createStockDocument,
  one,
  openRepairOrder,
  postStockDocument,
  progressRepairOrder,
  returnAsset,
  scanInventoryItem,
  startInventorySession,
  transitionAssetStatus,
} from "../src/queries/index.js";
import {
  type ASSET_STATUSES,
  assets,
  cmdbCiAttrValues,
  cmdbCis,
  cmdbRelationships,
  cmdbServiceMembers,
  cmdbServices,
  type JsonObject,
  locations,
  type NewAsset,
  type NewCmdbCi,
  spareParts,
  vendors,
  warehouses,
} from "../src/schema/index.js";
import {
  activeAttrDefs,
  activeSpecDefs,
  type FieldDefinition,
  parseFields,
} from "../src/validation/index.js";
import {
  BUILDINGS,
  DEPARTMENTS,
  FIRST_NAMES,
  FLOORS,
  LAST_NAMES,
  type ModelPlan,
  PARTS,
  PLAN,
  REPAIR_CASES,
  SITES,
  VENDORS,
  type VendorName,
} from "./demo-plan.js";
import { dayString, macFrom, type Prng, pad, prng, valuesFor } from "./generate.js";
import { seedReference } from "./load-reference.js";
import type { SeedReport } from "./upsert.js";

/** The fixed default seed: `npm run db:seed -- --demo` always builds the same data set. */
export const DEMO_SEED = 20_240_601;
const DEMO_PREFIX = "DEMO-";
type AssetStatus = (typeof ASSET_STATUSES)[number];
const BASE_DAY = "2025-06-01";

export interface DemoOptions {
  /** Allow a non-local database host. */
  force?: boolean;
  /** PRNG seed (default DEMO_SEED). */
  seed?: number;
  /** The connection URL, to judge locality (default DATABASE_URL; PGlite is always local). */
  url?: string | undefined;
}

export interface DemoReport {
  /** True when demo data already existed (nothing written). */
  skipped: boolean;
  reference: SeedReport;
  /** Rows inserted per table. */
  inserted: Record<string, number>;
}

/** Local = loopback/Unix socket URL; without a URL, the server's own view (NULL for sockets/PGlite). */
async function assertLocal(db: DbOrTx, options: DemoOptions): Promise<void> {
  if (options.force) return;
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) {
    if (!isLocalUrl(url)) {
      throw new DemoRefusedError(
        "refusing to load demo data into a database on a non-local host; pass --force to override",
      );
    }
    return;
  }
  const [row] = await rows<{ addr: string | null }>(db, sql`SELECT host(inet_server_addr()) AS addr`);
  const addr = row?.addr ?? null;
  if (addr !== null && addr !== "127.0.0.1" && addr !== "::1") {
    throw new DemoRefusedError(
      "refusing to load demo data into a database on a non-local host; pass --force to override",
    );
  }
}

/** The tables the demo data set writes (reported as rows inserted per table). */
const DEMO_TABLES = [
  "locations",
  "vendors",
  "asset_models",
  "assets",
  "asset_assignments",
  "asset_events",
  "cmdb_cis",
  "cmdb_ci_attr_values",
  "cmdb_relationships",
  "cmdb_services",
  "cmdb_service_members",
  "warehouses",
  "spare_parts",
  "spare_part_stock",
  "stock_documents",
  "stock_document_lines",
  "spare_part_movements",
  "repair_orders",
  "repair_order_parts",
  "inventory_sessions",
  "inventory_items",
] as const;

async function tableCounts(db: DbOrTx): Promise<Record<string, number>> {
  const [row] = await rows<Record<string, number>>(
    db,
    sql.raw(`SELECT ${DEMO_TABLES.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(", ")}`),
  );
  return row ?? {};
}

/** Who the demo's writes are attributed to (asset events, movements, documents). */
const DEMO_ACTOR = "demo";

export async function seedDemo(db: DbOrTx, options: DemoOptions = {}): Promise<DemoReport> {
  await assertLocal(db, options);
  const reference = await seedReference(db);
  const inserted: Record<string, number> = {};
  const skipped = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: assets.id })
      .from(assets)
      .where(like(assets.assetCode, `${DEMO_PREFIX}%`))
      .limit(1);
    if (existing) return true;
    const before = await tableCounts(tx);
    await new DemoBuilder(tx, prng(options.seed ?? DEMO_SEED)).build();
    const after = await tableCounts(tx);
    for (const table of DEMO_TABLES) inserted[table] = (after[table] ?? 0) - (before[table] ?? 0);
    return false;
  });
  return { skipped, reference, inserted };
}

interface Loc {
  id: string;
  site: number;
  building: number;
  serverRoom: boolean;
}

interface PlannedAsset {
  category: string;
  /** The status the lifecycle brings the asset to (it is created in_stock). */
  target: AssetStatus;
  row: Omit<NewAsset, "status">;
}

interface DemoStock {
  parts: { code: string; id: string; name: string; cost: string }[];
  warehouseId: string;
}

interface AssetRow {
  id: string;
  assetCode: string;
  category: string;
  status: AssetStatus;
  mgmtIp: string | null;
  macAddress: string | null;
  hostname: string | null;
  locationId: string | null;
  modelId: string | null;
  vendorId: string | null;
}

function weighted<T>(r: Prng, table: [T, number][]): T {
  let x = r.next() * table.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  return (table[table.length - 1] as [T, number])[0];
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown[]>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < rows.length; i += 200) out.push(...(await insert(rows.slice(i, i + 200))));
  return out;
}

/** Builds the data set step by step; every random choice comes from the one PRNG, in a fixed order. */
class DemoBuilder {
  private ipCounters = new Map<string, number>();
  private macCounter = 0x100;

  constructor(
    private readonly tx: Transaction,
    private readonly r: Prng,
  ) {}

  private nextIp(site: number, subnet: number): string {
    const key = `${site}.${subnet}`;
    const n = (this.ipCounters.get(key) ?? 0) + 1;
    this.ipCounters.set(key, n);
    return `10.${SITES[site]?.net}.${subnet + Math.floor((n - 1) / 250)}.${((n - 1) % 250) + 1}`;
  }

  private nextMac(oui: string): string {
    this.macCounter += 1;
    return macFrom(oui, this.macCounter);
  }

  async build(): Promise<void> {
    const rooms = await this.locations();
    const vendorIds = await this.vendors();
    const models = await this.models(vendorIds);
    const planned = this.plannedAssets(rooms, vendorIds, models);
    const assetRows = await this.assets(planned);
    await this.cmdb(assetRows);
    const stock = await this.warehouse();
    await this.lifecycle(assetRows, stock);
    await this.inventory(rooms, assetRows);
  }

  /** The location tree through createLocation (paths computed by the domain). */
  private async locations(): Promise<Loc[]> {
    const rooms: Loc[] = [];
    const add = (name: string, parentId: string | null) => createLocation(this.tx, { name, parentId });
    for (const [s, site] of SITES.entries()) {
      const siteRow = await add(site.name, null);
      for (const [b, building] of BUILDINGS.entries()) {
        const buildingRow = await add(building, siteRow.id);
        for (const [f, floor] of FLOORS.entries()) {
          const floorRow = await add(floor, buildingRow.id);
          for (let i = 1; i <= 4; i++) {
            const serverRoom = f === 0 && i === 1;
            const room = await add(serverRoom ? "Server Room" : `Room ${f + 1}${pad(i, 2)}`, floorRow.id);
            rooms.push({ id: room.id, site: s, building: b, serverRoom });
          }
        }
      }
    }
    return rooms;
  }

  private async vendors(): Promise<Map<VendorName, { id: string; oui: string }>> {
    const rows = await this.tx
      .insert(vendors)
      .values(
        VENDORS.map((v, i) => ({
          name: v.name,
          taxCode: `03${pad(10_000_000 + i * 7919, 8)}`,
          phone: `+84 28 ${pad(3800 + i, 4)} ${pad(1000 + i * 37, 4)}`,
          email: `sales@${v.domain}.example.com`,
          address: `${i + 1} Demo Street, District 1, Ho Chi Minh City`,
        })),
      )
      .returning({ id: vendors.id, name: vendors.name });
    const ids = new Map<VendorName, { id: string; oui: string }>();
    for (const v of VENDORS)
      ids.set(v.name, { id: rows.find((r) => r.name === v.name)?.id as string, oui: v.oui });
    return ids;
  }

  private async models(vendorIds: Map<VendorName, { id: string; oui: string }>) {
    const byCategory = new Map<string, { id: string; plan: ModelPlan }[]>();
    const categories = (await this.tx.query.assetCategories.findMany()) as { id: string; name: string }[];
    for (const plan of PLAN) {
      const category = categories.find((c) => c.name === plan.category);
      if (!category) throw new Error(`reference category ${plan.category} missing`);
      const active = await activeSpecDefs(this.tx, category.id);
      if (!active) throw new Error(`category ${plan.category} has no active spec version`);
      // Model-level spec: per-instance fields (addresses, extension) live on the asset, not the model.
      const modelDefs = active.defs.filter(
        (d) => d.fieldType !== "ip" && d.fieldType !== "mac" && d.key !== "extension",
      );
      const list: { id: string; plan: ModelPlan }[] = [];
      for (const m of plan.models) {
        const spec = parseFields(
          active.defs as FieldDefinition[],
          valuesFor(modelDefs as FieldDefinition[], this.r, {
            name: m.model,
            fixed: m.fixed ?? {},
            day: BASE_DAY,
          }),
        );
        // createAssetModel validates the spec against the active version again and records it.
        const row = await createAssetModel(this.tx, {
          categoryId: category.id,
          vendorId: vendorIds.get(m.vendor)?.id ?? null,
          brand: m.brand,
          model: m.model,
          spec,
        });
        list.push({ id: row.id, plan: m });
      }
      byCategory.set(plan.category, list);
    }
    return byCategory;
  }

  /** Every asset of the plan with the status it should reach: pure (the PRNG only), no writes. */
  private plannedAssets(
    rooms: Loc[],
    vendorIds: Map<VendorName, { id: string; oui: string }>,
    models: Map<string, { id: string; plan: ModelPlan }[]>,
  ): PlannedAsset[] {
    const r = this.r;
    const serverRooms = rooms.filter((l) => l.serverRoom);
    const offices = rooms.filter((l) => !l.serverRoom);
    const values: (NewAsset & { category: string })[] = [];
    const switchesBySite = new Map<number, string[]>();
    for (const plan of PLAN) {
      for (let i = 1; i <= plan.count; i++) {
        const model = r.pick(models.get(plan.category) ?? []);
        const vendor = vendorIds.get(model.plan.vendor);
        const location = plan.infra ? r.pick(serverRooms) : r.pick(offices);
        const status: AssetStatus = plan.infra
          ? weighted<AssetStatus>(r, [
              ["in_use", 90],
              ["in_stock", 5],
              ["in_repair", 3],
              ["retired", 2],
            ])
          : weighted<AssetStatus>(r, [
              ["in_use", 75],
              ["in_stock", 14],
              ["in_repair", 5],
              ["retired", 4],
              ["lost", 1],
              ["disposed", 1],
            ]);
        const code = `${DEMO_PREFIX}${plan.prefix}-${pad(i)}`;
        const site = SITES[location.site] as (typeof SITES)[number];
        const named = plan.infra || plan.prefix === "AP" || plan.prefix === "PRN";
        const hostname = named ? `${site.short}-${plan.prefix.toLowerCase()}-${pad(i, 3)}` : null;
        const hasIp =
          plan.networked &&
          (plan.infra || plan.prefix === "AP" || plan.prefix === "PRN" || plan.prefix === "PH");
        const purchase = dayString("2019-01-01", r.int(0, 2200));
        const accessSwitch =
          !plan.infra && plan.networked ? r.pick(switchesBySite.get(location.site) ?? [""]) : "";
        values.push({
          category: plan.category,
          assetCode: code,
          modelId: model.id,
          serialNo: `${model.plan.brand.slice(0, 3).toUpperCase()}${pad(r.int(0, 99_999_999), 8)}${pad(i, 3)}`,
          macAddress: plan.networked ? this.nextMac(vendor?.oui ?? "020000") : null,
          mgmtIp: hasIp ? this.nextIp(location.site, plan.vlan ?? 0) : null,
          hostname,
          vlanId: plan.vlan,
          switchName: accessSwitch || null,
          switchPort: accessSwitch ? `Gi1/0/${r.int(1, 48)}` : null,
          locationId: location.id,
          status,
          purchaseDate: purchase,
          warrantyEnd: dayString(purchase, plan.infra ? 1825 : 1095),
          vendorId: vendor?.id ?? null,
          notes: status === "in_repair" ? "Sent for diagnosis" : null,
        });
        if (plan.prefix === "SW" && hostname) {
          switchesBySite.set(location.site, [...(switchesBySite.get(location.site) ?? []), hostname]);
        }
      }
    }
    return values.map(({ category, status, ...row }) => ({
      category,
      target: status ?? "in_stock",
      row,
    }));
  }

  /** Each asset through createAsset (validated, in_stock, `created` event); the lifecycle comes later. */
  private async assets(planned: PlannedAsset[]): Promise<AssetRow[]> {
    const out: AssetRow[] = [];
    for (const { category, target, row } of planned) {
      const asset = await createAsset(this.tx, { ...row, actorUserId: DEMO_ACTOR });
      out.push({
        id: asset.id,
        assetCode: asset.assetCode,
        category,
        status: target,
        mgmtIp: asset.mgmtIp,
        macAddress: asset.macAddress,
        hostname: asset.hostname,
        locationId: asset.locationId,
        modelId: asset.modelId,
        vendorId: asset.vendorId,
      });
    }
    return out;
  }

  private person(): { id: string; name: string } {
    const first = this.r.pick(FIRST_NAMES);
    const last = this.r.pick(LAST_NAMES);
    const n = this.r.int(1, 999);
    return { id: `${first}.${last}${n}`.toLowerCase(), name: `${last} ${first}` };
  }

  private async cmdb(rows: AssetRow[]) {
    const tx = this.tx;
    const r = this.r;
    const types = (await tx.query.cmdbCiTypes.findMany()) as { id: string; code: string }[];
    const typeId = (code: string) => types.find((t) => t.code === code)?.id as string;
    const relTypes = (await tx.query.cmdbRelationshipTypes.findMany()) as { id: string; code: string }[];
    const relId = (code: string) => relTypes.find((t) => t.code === code)?.id as string;
    const defsCache = new Map<string, { versionId: string; defs: FieldDefinition[] }>();
    const defsOf = async (code: string) => {
      const cached = defsCache.get(code);
      if (cached) return cached;
      const active = await activeAttrDefs(tx, typeId(code));
      if (!active) throw new Error(`CI type ${code} has no active version`);
      const entry = { versionId: active.versionId, defs: active.defs as FieldDefinition[] };
      defsCache.set(code, entry);
      return entry;
    };

    interface CiPlan {
      ci: NewCmdbCi & { ciCode: string };
      type: string;
      fixed: JsonObject;
    }
    const plans: CiPlan[] = [];
    const add = (
      type: string,
      ciCode: string,
      name: string,
      fixed: JsonObject,
      extra: Partial<NewCmdbCi> = {},
    ) => {
      plans.push({
        type,
        fixed,
        ci: { typeId: typeId(type), ciCode, name, status: "active", environment: "prod", ...extra },
      });
      return ciCode;
    };

    const inUse = (category: string) => rows.filter((a) => a.category === category && a.status === "in_use");
    const hosts = inUse("Server").map((a, i) =>
      add(
        "physical_server",
        `CI-PSRV-${pad(i + 1)}`,
        a.hostname ?? a.assetCode,
        { hostname: a.hostname ?? `host-${i + 1}`, primary_ip: a.mgmtIp ?? `10.99.0.${i + 1}` },
        {
          assetId: a.id,
          locationId: a.locationId,
          ownerTeam: "Infrastructure",
        },
      ),
    );
    const network = [...inUse("Switch"), ...inUse("Router"), ...inUse("Firewall")].map((a, i) =>
      add(
        "network_device",
        `CI-NET-${pad(i + 1)}`,
        a.hostname ?? a.assetCode,
        {
          hostname: a.hostname ?? `net-${i + 1}`,
          management_ip: a.mgmtIp ?? `10.98.0.${i + 1}`,
          role:
            a.category === "Switch"
              ? r.pick(["core", "distribution", "access"])
              : a.category === "Router"
                ? "wan"
                : "edge",
          ...(a.macAddress ? { base_mac: a.macAddress } : {}),
        },
        { assetId: a.id, locationId: a.locationId, ownerTeam: "Network" },
      ),
    );
    const storage = inUse("Storage Array").map((a, i) =>
      add(
        "storage",
        `CI-STO-${pad(i + 1)}`,
        a.hostname ?? a.assetCode,
        a.mgmtIp ? { management_ip: a.mgmtIp } : {},
        {
          assetId: a.id,
          locationId: a.locationId,
          ownerTeam: "Infrastructure",
        },
      ),
    );
    const vms: string[] = [];
    for (let i = 1; i <= 40; i++) {
      const env = i <= 30 ? "prod" : i <= 35 ? "uat" : "dev";
      vms.push(
        add(
          "virtual_machine",
          `CI-VM-${pad(i)}`,
          `vm-${pad(i, 3)}`,
          { hostname: `vm-${pad(i, 3)}`, primary_ip: `10.20.${Math.floor(i / 200)}.${(i % 200) + 10}` },
          {
            environment: env as "prod" | "uat" | "dev",
            ownerTeam: "Platform",
          },
        ),
      );
    }
    const services = [
      {
        code: "SVC-PORTAL",
        name: "Customer Portal",
        host: "portal.example.com",
        apps: ["portal-web", "portal-api"],
        db: { name: "portal-db", engine: "postgresql", version: "16.4", port: 5432 },
      },
      {
        code: "SVC-ERP",
        name: "ERP",
        host: "erp.example.com",
        apps: ["erp-app"],
        db: { name: "erp-db", engine: "oracle", version: "19.3", port: 1521 },
      },
      {
        code: "SVC-CHAT",
        name: "NetOps Chat",
        host: "chat.example.com",
        apps: ["chat-api", "chat-worker"],
        db: { name: "chat-cache", engine: "redis", version: "7.2", port: 6379 },
      },
    ];
    const graph: { code: string; lb: string; endpoint: string; apps: string[]; db: string }[] = [];
    for (const [s, svc] of services.entries()) {
      const endpoint = add("business_service_endpoint", `CI-EP-${pad(s + 1)}`, `${svc.name} endpoint`, {
        url: `https://${svc.host}/`,
        protocol: "https",
        auth_required: true,
        sla_target_pct: 99.9,
      });
      const lb = add("load_balancer", `CI-LB-${pad(s + 1)}`, `lb-${svc.code.slice(4).toLowerCase()}`, {
        vip: `10.20.100.${s + 10}`,
        listen_port: 443,
        tls_enabled: true,
      });
      const apps = svc.apps.map((name, i) =>
        add("application", `CI-APP-${pad(s * 10 + i + 1)}`, name, {
          listen_port: 8080 + i,
          runtime: r.pick(["node", "java", "go"]),
        }),
      );
      const db = add("database", `CI-DB-${pad(s + 1)}`, svc.db.name, {
        engine: svc.db.engine,
        engine_version: svc.db.version,
        port: svc.db.port,
        backup_enabled: true,
        ha_enabled: s !== 2,
      });
      graph.push({ code: svc.code, lb, endpoint, apps, db });
    }

    // Attribute values validated against the active version of each type.
    const attrRows: (typeof cmdbCiAttrValues.$inferInsert)[] = [];
    const inserted = (await insertChunked(plans, (chunk) =>
      tx
        .insert(cmdbCis)
        .values(chunk.map((p) => p.ci))
        .returning({ id: cmdbCis.id, ciCode: cmdbCis.ciCode }),
    )) as { id: string; ciCode: string }[];
    const ciId = new Map(inserted.map((c) => [c.ciCode, c.id]));
    for (const p of plans) {
      const { versionId, defs } = await defsOf(p.type);
      const values = parseFields(
        defs,
        valuesFor(defs, r, {
          name: p.ci.name,
          fixed: p.fixed,
          ip: () => `10.30.${r.int(0, 255)}.${r.int(1, 254)}`,
          day: BASE_DAY,
        }),
      );
      for (const [key, value] of Object.entries(values)) {
        if (value === null || value === undefined) continue;
        attrRows.push({ ciId: ciId.get(p.ci.ciCode) as string, versionId, key, value });
      }
    }
    await insertChunked(attrRows, (chunk) =>
      tx.insert(cmdbCiAttrValues).values(chunk).returning({ id: cmdbCiAttrValues.id }),
    );

    // The dependency graph: endpoint -> lb -> apps -> db; apps and dbs run on VMs or hosts; VMs on hosts;
    // switches connect hosts; storage backs up databases.
    const rel = new Map<string, typeof cmdbRelationships.$inferInsert>();
    const link = (type: string, from: string, to: string) => {
      const fromId = ciId.get(from);
      const toId = ciId.get(to);
      if (!fromId || !toId || fromId === toId) return;
      rel.set(`${type}|${from}|${to}`, {
        relTypeId: relId(type),
        fromCiId: fromId,
        toCiId: toId,
        status: "active",
        sinceDate: dayString("2023-01-01", r.int(0, 500)),
      });
    };
    let vm = 0;
    for (const g of graph) {
      link("depends_on", g.endpoint, g.lb);
      for (const app of g.apps) {
        link("load_balances", g.lb, app);
        link("depends_on", app, g.db);
        link("runs_on", app, vms[vm++ % vms.length] as string);
        link("runs_on", app, vms[vm++ % vms.length] as string);
      }
      link("runs_on", g.db, hosts.length > 0 ? r.pick(hosts) : (vms[vm++ % vms.length] as string));
      if (storage.length > 0) link("backs_up", r.pick(storage), g.db);
    }
    if (hosts.length > 0) for (const v of vms) link("runs_on", v, r.pick(hosts));
    if (network.length > 0) for (const h of hosts) link("connects_to", r.pick(network), h);
    await insertChunked([...rel.values()], (chunk) =>
      tx.insert(cmdbRelationships).values(chunk).returning({ id: cmdbRelationships.id }),
    );

    // Business services and their members.
    const svcRows = await tx
      .insert(cmdbServices)
      .values(
        services.map((s, i) => ({
          code: s.code,
          name: s.name,
          criticality: i === 0 ? "high" : "medium",
          owner: "IT Operations",
          sla: i === 0 ? "99.9%" : "99.5%",
          status: "active",
        })),
      )
      .returning({ id: cmdbServices.id, code: cmdbServices.code });
    const members: (typeof cmdbServiceMembers.$inferInsert)[] = [];
    for (const g of graph) {
      const serviceId = svcRows.find((s) => s.code === g.code)?.id as string;
      members.push({ serviceId, ciId: ciId.get(g.endpoint) as string, role: "entry point" });
      members.push({ serviceId, ciId: ciId.get(g.lb) as string, role: "load balancer" });
      for (const app of g.apps)
        members.push({ serviceId, ciId: ciId.get(app) as string, role: "application" });
      members.push({ serviceId, ciId: ciId.get(g.db) as string, role: "database" });
    }
    await tx.insert(cmdbServiceMembers).values(members);
    return ciId;
  }

  /**
   * Warehouses and parts (no domain operation creates them: plain inserts), then the opening stock
   * of each warehouse as a receipt created and posted through the ledger.
   */
  private async warehouse(): Promise<DemoStock> {
    const tx = this.tx;
    const r = this.r;
    const siteRoots = await tx
      .select({ id: locations.id, path: locations.path })
      .from(locations)
      .where(isNull(locations.parentId));
    const whRows = await tx
      .insert(warehouses)
      .values(
        SITES.map((s) => ({
          code: `WH-${s.short.toUpperCase()}-01`,
          name: `${s.name} spare parts store`,
          locationId: siteRoots.find((l) => l.path === `/${s.name}/`)?.id ?? null,
        })),
      )
      .returning({ id: warehouses.id, code: warehouses.code });
    const partRows = await tx
      .insert(spareParts)
      .values(
        PARTS.map(([code, name, category, manufacturer, model]) => ({
          partCode: `SP-${code}`,
          name,
          category,
          manufacturer,
          model,
          uom: "pcs",
          minLevel: r.int(2, 10),
        })),
      )
      .returning({ id: spareParts.id, partCode: spareParts.partCode });
    const parts = PARTS.map(([code, name, , , , cost]) => ({
      code,
      id: one(partRows.filter((p) => p.partCode === `SP-${code}`)).id,
      name,
      cost,
    }));
    for (const [i, wh] of whRows.entries()) {
      const doc = await createStockDocument(tx, {
        docType: "receipt",
        code: `SD-DEMO-${pad(i + 1)}`,
        warehouseId: wh.id,
        docDate: "2025-05-15",
        note: "Opening stock",
        createdBy: DEMO_ACTOR,
        lines: parts.map((p) => ({ partId: p.id, qty: r.int(5, 60), unitCost: p.cost })),
      });
      await postStockDocument(tx, { documentId: doc.id, approvedBy: DEMO_ACTOR, actorUserId: DEMO_ACTOR });
    }
    return { parts, warehouseId: one(whRows).id };
  }

  /**
   * Bring each asset to its planned status through the domain: in_use by an assignment (people for
   * end-user devices, departments for printers and infrastructure), in_stock with a past assignment
   * returned, in_repair by opening a repair order (parts consumed through a posted issue document),
   * retired / lost / disposed by status transitions.
   */
  private async lifecycle(rows: AssetRow[], stock: DemoStock): Promise<void> {
    const tx = this.tx;
    const actor = { actorUserId: DEMO_ACTOR };
    const endUser = new Set(["Laptop", "Desktop", "Monitor", "IP Phone"]);
    let repairs = 0;
    for (const a of rows) {
      const assignTo = () => {
        if (endUser.has(a.category)) {
          const p = this.person();
          return { assigneeType: "person" as const, assigneeId: p.id, assigneeName: p.name };
        }
        const dept = a.category === "Printer" ? this.r.pick(DEPARTMENTS) : "Infrastructure";
        return { assigneeType: "department" as const, assigneeId: dept.toLowerCase(), assigneeName: dept };
      };
      switch (a.status) {
        case "in_use":
          await assignAsset(tx, { assetId: a.id, ...assignTo(), ...actor });
          break;
        case "in_stock":
          if (endUser.has(a.category) && this.r.chance(0.5)) {
            // A returned device keeps its history.
            await assignAsset(tx, { assetId: a.id, ...assignTo(), ...actor });
            await returnAsset(tx, { assetId: a.id, note: "returned to stock", ...actor });
          }
          break;
        case "in_repair": {
          const plan = REPAIR_CASES[repairs % REPAIR_CASES.length] as (typeof REPAIR_CASES)[number];
          repairs += 1;
          const order = await openRepairOrder(tx, {
            assetId: a.id,
            code: `RO-DEMO-${pad(repairs)}`,
            title: plan.title,
            description: `Reported by the user of ${a.assetCode}`,
            severity: plan.severity,
            repairType: plan.repairType,
            ...(plan.repairType === "internal" ? { technicianName: "Tran Quang" } : {}),
            ...(plan.repairType === "vendor" && a.vendorId ? { vendorId: a.vendorId } : {}),
            createdBy: DEMO_ACTOR,
            ...actor,
          });
          const part = plan.part ? stock.parts.find((p) => p.code === plan.part) : undefined;
          if (part) {
            await addRepairParts(tx, {
              repairOrderId: order.id,
              warehouseId: stock.warehouseId,
              parts: [{ partId: part.id, qty: 1 }],
              ...actor,
            });
          }
          if (plan.progress)
            await progressRepairOrder(tx, { repairOrderId: order.id, status: plan.progress });
          break;
        }
        case "retired":
          await transitionAssetStatus(tx, { assetId: a.id, to: "retired", ...actor });
          break;
        case "lost":
          await transitionAssetStatus(tx, { assetId: a.id, to: "lost", ...actor });
          break;
        case "disposed":
          await transitionAssetStatus(tx, { assetId: a.id, to: "retired", ...actor });
          await transitionAssetStatus(tx, { assetId: a.id, to: "disposed", ...actor });
          break;
      }
    }
  }

  /**
   * One stock count in progress over the first building of the first site: startInventorySession
   * snapshots its assets as missing items; most are then scanned where they are, some in another
   * room (moved), a few never (missing), plus a few tags nobody knows (unknown).
   */
  private async inventory(rooms: Loc[], rows: AssetRow[]): Promise<void> {
    const r = this.r;
    const scope = rooms.filter((l) => l.site === 0 && l.building === 0);
    const [building] = await this.tx
      .select({ id: locations.id })
      .from(locations)
      .where(eq(locations.path, `/${SITES[0]?.name}/${BUILDINGS[0]}/`));
    if (!building) throw new Error("demo: the first building is missing");
    const { session } = await startInventorySession(this.tx, {
      name: `Inventory ${SITES[0]?.name} ${BUILDINGS[0]} 2025-Q2`,
      locationId: building.id,
      createdBy: DEMO_ACTOR,
    });
    const scopeIds = new Set(scope.map((l) => l.id));
    let unknown = 0;
    for (const a of rows) {
      if (!a.locationId || !scopeIds.has(a.locationId) || a.status === "disposed" || a.status === "lost")
        continue;
      const outcome = weighted(r, [
        ["found", 85],
        ["moved", 7],
        ["missing", 5],
        ["unknown", 3],
      ] as ["found" | "moved" | "missing" | "unknown", number][]);
      if (outcome === "missing") continue;
      if (outcome === "unknown") {
        unknown += 1;
        await scanInventoryItem(this.tx, {
          sessionId: session.id,
          code: `UNTAGGED-${pad(unknown)}`,
          locationId: a.locationId,
        });
        continue;
      }
      const where = outcome === "found" ? a.locationId : r.pick(scope).id;
      await scanInventoryItem(this.tx, { sessionId: session.id, code: a.assetCode, locationId: where });
    }
  }
}
