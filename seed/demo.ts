/**
 * The demo data set: deterministic from a fixed seed (same seed -> same codes, IPs, MACs, specs,
 * graph), loaded on top of the reference data in one transaction. About 530 assets across a
 * two-site location tree, vendors, models with valid specs, assignments, CIs linked to assets with
 * valid attribute values, a service dependency graph (endpoint -> load balancer -> apps -> databases
 * on hosts), services with members, warehouses with spare parts and stock (receipts posted through
 * the ledger), a few open repair orders and one inventory session.
 *
 * Refuses a database whose host is not local unless `force` (it is for development machines).
 * Runs once per database: when demo assets exist it does nothing (reported as skipped).
 */

import { like, sql } from "drizzle-orm";
import { type DbOrTx, rows, type Transaction } from "../src/db.js";
import { parseInput } from "../src/errors/index.js";
import { DemoRefusedError } from "../src/errors/operational.js";
import { isLocalUrl } from "../src/migrate/server.js";
import {
  type ASSET_STATUSES,
  assetAssignments,
  assetModels,
  assets,
  cmdbCiAttrValues,
  cmdbCis,
  cmdbRelationships,
  cmdbServiceMembers,
  cmdbServices,
  inventoryItems,
  inventorySessions,
  type JsonObject,
  locations,
  type NewAsset,
  type NewCmdbCi,
  repairOrderParts,
  repairOrders,
  sparePartMovements,
  sparePartStock,
  spareParts,
  stockDocumentLines,
  stockDocuments,
  vendors,
  warehouses,
} from "../src/schema/index.js";
import {
  activeAttrDefs,
  activeSpecDefs,
  type FieldDefinition,
  insertAssetSchema,
  parseFields,
} from "../src/validation/index.js";
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
    await new DemoBuilder(tx, prng(options.seed ?? DEMO_SEED), inserted).build();
    return false;
  });
  return { skipped, reference, inserted };
}

// ------------------------------------------------------------------------------------------------

const SITES = [
  { name: "HCM Campus", short: "hcm", net: 10 },
  { name: "HN Datacenter", short: "hn", net: 11 },
];
const BUILDINGS = ["Building A", "Building B"];
const FLOORS = ["Floor 1", "Floor 2", "Floor 3"];

const VENDORS = [
  { name: "Cisco Systems", oui: "00000c", domain: "cisco" },
  { name: "Juniper Networks", oui: "000585", domain: "juniper" },
  { name: "Fortinet", oui: "00090f", domain: "fortinet" },
  { name: "HPE Aruba Networking", oui: "000b86", domain: "aruba" },
  { name: "Dell Technologies", oui: "d4ae52", domain: "dell" },
  { name: "Hewlett Packard Enterprise", oui: "9440c9", domain: "hpe" },
  { name: "Lenovo", oui: "e8e0b7", domain: "lenovo" },
  { name: "APC by Schneider Electric", oui: "000654", domain: "apc" },
  { name: "NetApp", oui: "00a098", domain: "netapp" },
  { name: "Yealink", oui: "805ec0", domain: "yealink" },
  { name: "HP Inc.", oui: "3024a9", domain: "hp" },
  { name: "LG Electronics", oui: "a8237f", domain: "lg" },
] as const;
type VendorName = (typeof VENDORS)[number]["name"];

interface ModelPlan {
  vendor: VendorName;
  brand: string;
  model: string;
  fixed?: JsonObject;
}

interface CategoryPlan {
  category: string;
  prefix: string;
  count: number;
  infra: boolean;
  vlan: number | null;
  networked: boolean;
  models: ModelPlan[];
}

const PLAN: CategoryPlan[] = [
  {
    category: "Switch",
    prefix: "SW",
    count: 40,
    infra: true,
    vlan: 10,
    networked: true,
    models: [
      {
        vendor: "Cisco Systems",
        brand: "Cisco",
        model: "Catalyst 9300-48P",
        fixed: { port_count: 48, uplink_speed: "10G", layer: "L3", poe_budget: 715 },
      },
      {
        vendor: "HPE Aruba Networking",
        brand: "Aruba",
        model: "CX 6100 24G",
        fixed: { port_count: 24, uplink_speed: "10G", layer: "L2", poe_budget: 370 },
      },
      {
        vendor: "Juniper Networks",
        brand: "Juniper",
        model: "EX4100-48P",
        fixed: { port_count: 48, uplink_speed: "25G", layer: "L3", poe_budget: 740 },
      },
    ],
  },
  {
    category: "Router",
    prefix: "RT",
    count: 6,
    infra: true,
    vlan: 10,
    networked: true,
    models: [
      {
        vendor: "Cisco Systems",
        brand: "Cisco",
        model: "ISR 4331",
        fixed: { wan_ports: 3, throughput_gbps: 0.3, uplink_speed: "1G" },
      },
      {
        vendor: "Juniper Networks",
        brand: "Juniper",
        model: "MX204",
        fixed: { wan_ports: 8, throughput_gbps: 400, uplink_speed: "100G" },
      },
    ],
  },
  {
    category: "Firewall",
    prefix: "FW",
    count: 4,
    infra: true,
    vlan: 10,
    networked: true,
    models: [
      {
        vendor: "Fortinet",
        brand: "Fortinet",
        model: "FortiGate 200F",
        fixed: { throughput_gbps: 27, ha_capable: true, license_tier: "utm" },
      },
      {
        vendor: "Fortinet",
        brand: "Fortinet",
        model: "FortiGate 60F",
        fixed: { throughput_gbps: 10, ha_capable: false, license_tier: "base" },
      },
    ],
  },
  {
    category: "Access Point",
    prefix: "AP",
    count: 30,
    infra: false,
    vlan: 20,
    networked: true,
    models: [
      {
        vendor: "HPE Aruba Networking",
        brand: "Aruba",
        model: "AP-535",
        fixed: { wifi_standard: "wifi6", poe_class: "802.3at" },
      },
      {
        vendor: "Cisco Systems",
        brand: "Cisco",
        model: "CW9166I",
        fixed: { wifi_standard: "wifi6e", poe_class: "802.3bt" },
      },
    ],
  },
  {
    category: "Server",
    prefix: "SRV",
    count: 30,
    infra: true,
    vlan: 10,
    networked: true,
    models: [
      {
        vendor: "Dell Technologies",
        brand: "Dell",
        model: "PowerEdge R750",
        fixed: { form_factor: "rack", cpu_sockets: 2, cpu_cores: 56, ram_gb: 512, rack_units: 2 },
      },
      {
        vendor: "Hewlett Packard Enterprise",
        brand: "HPE",
        model: "ProLiant DL380 Gen11",
        fixed: { form_factor: "rack", cpu_sockets: 2, cpu_cores: 64, ram_gb: 768, rack_units: 2 },
      },
      {
        vendor: "Lenovo",
        brand: "Lenovo",
        model: "ThinkSystem SR650 V3",
        fixed: { form_factor: "rack", cpu_sockets: 2, cpu_cores: 48, ram_gb: 384, rack_units: 2 },
      },
    ],
  },
  {
    category: "Storage Array",
    prefix: "STO",
    count: 4,
    infra: true,
    vlan: 10,
    networked: true,
    models: [
      {
        vendor: "NetApp",
        brand: "NetApp",
        model: "AFF A400",
        fixed: { raw_capacity_tb: 368.6, protocol: "nfs", controllers: 2 },
      },
      {
        vendor: "Dell Technologies",
        brand: "Dell",
        model: "PowerStore 1200T",
        fixed: { raw_capacity_tb: 184.3, protocol: "iscsi", controllers: 2 },
      },
    ],
  },
  {
    category: "UPS",
    prefix: "UPS",
    count: 10,
    infra: true,
    vlan: 10,
    networked: true,
    models: [
      {
        vendor: "APC by Schneider Electric",
        brand: "APC",
        model: "Smart-UPS SRT 5000",
        fixed: { capacity_va: 5000, capacity_w: 4500, input_voltage: "230V" },
      },
      {
        vendor: "APC by Schneider Electric",
        brand: "APC",
        model: "Smart-UPS 3000",
        fixed: { capacity_va: 3000, capacity_w: 2700, input_voltage: "230V" },
      },
    ],
  },
  {
    category: "Laptop",
    prefix: "LT",
    count: 150,
    infra: false,
    vlan: 100,
    networked: true,
    models: [
      {
        vendor: "Dell Technologies",
        brand: "Dell",
        model: "Latitude 7440",
        fixed: {
          cpu_model: "Intel Core i7-1365U",
          ram_gb: 16,
          storage_gb: 512,
          screen_inches: 14,
          operating_system: "windows11",
        },
      },
      {
        vendor: "Lenovo",
        brand: "Lenovo",
        model: "ThinkPad T14 Gen 4",
        fixed: {
          cpu_model: "AMD Ryzen 7 PRO 7840U",
          ram_gb: 32,
          storage_gb: 1024,
          screen_inches: 14,
          operating_system: "windows11",
        },
      },
      {
        vendor: "HP Inc.",
        brand: "HP",
        model: "EliteBook 840 G10",
        fixed: {
          cpu_model: "Intel Core i5-1345U",
          ram_gb: 16,
          storage_gb: 512,
          screen_inches: 14,
          operating_system: "ubuntu",
        },
      },
    ],
  },
  {
    category: "Desktop",
    prefix: "DT",
    count: 80,
    infra: false,
    vlan: 110,
    networked: true,
    models: [
      {
        vendor: "Dell Technologies",
        brand: "Dell",
        model: "OptiPlex 7010 SFF",
        fixed: { form_factor: "sff", ram_gb: 16, storage_gb: 512 },
      },
      {
        vendor: "HP Inc.",
        brand: "HP",
        model: "ProDesk 400 G9",
        fixed: { form_factor: "tower", ram_gb: 8, storage_gb: 256 },
      },
    ],
  },
  {
    category: "Monitor",
    prefix: "MON",
    count: 100,
    infra: false,
    vlan: null,
    networked: false,
    models: [
      {
        vendor: "Dell Technologies",
        brand: "Dell",
        model: "P2423D",
        fixed: { screen_inches: 23.8, resolution: "2560x1440", panel_type: "ips" },
      },
      {
        vendor: "LG Electronics",
        brand: "LG",
        model: "27UL550-W",
        fixed: { screen_inches: 27, resolution: "3840x2160", panel_type: "ips" },
      },
    ],
  },
  {
    category: "Printer",
    prefix: "PRN",
    count: 15,
    infra: false,
    vlan: 40,
    networked: true,
    models: [
      {
        vendor: "HP Inc.",
        brand: "HP",
        model: "LaserJet Pro M404dn",
        fixed: { technology: "laser", color: false, pages_per_minute: 40 },
      },
      {
        vendor: "HP Inc.",
        brand: "HP",
        model: "Color LaserJet M555dn",
        fixed: { technology: "laser", color: true, pages_per_minute: 38 },
      },
    ],
  },
  {
    category: "IP Phone",
    prefix: "PH",
    count: 60,
    infra: false,
    vlan: 30,
    networked: true,
    models: [
      {
        vendor: "Yealink",
        brand: "Yealink",
        model: "SIP-T54W",
        fixed: { line_keys: 16, poe_class: "802.3af" },
      },
      {
        vendor: "Cisco Systems",
        brand: "Cisco",
        model: "IP Phone 8845",
        fixed: { line_keys: 5, poe_class: "802.3af" },
      },
    ],
  },
];

const FIRST_NAMES = [
  "An",
  "Binh",
  "Chi",
  "Dung",
  "Giang",
  "Hai",
  "Hoa",
  "Khanh",
  "Lan",
  "Linh",
  "Minh",
  "Nam",
  "Phuong",
  "Quang",
  "Thao",
  "Trang",
  "Tuan",
  "Vy",
];
const LAST_NAMES = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ngo"];
const DEPARTMENTS = ["Finance", "Sales", "Engineering", "Operations", "HR", "Support"];

interface Loc {
  id: string;
  site: number;
  building: number;
  serverRoom: boolean;
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
    private readonly inserted: Record<string, number>,
  ) {}

  private note(table: string, n: number) {
    this.inserted[table] = (this.inserted[table] ?? 0) + n;
  }

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
    const assetRows = await this.assets(rooms, vendorIds, models);
    await this.assignments(assetRows);
    await this.cmdb(assetRows);
    const parts = await this.warehouse(rooms);
    await this.repairs(assetRows, parts);
    await this.inventory(rooms, assetRows);
  }

  private async locations(): Promise<Loc[]> {
    const rooms: Loc[] = [];
    const add = async (name: string, parent: { id: string; path: string } | null) => {
      const path = `${parent ? parent.path : "/"}${name.replaceAll("/", "-")}/`;
      const [row] = await this.tx
        .insert(locations)
        .values({ name, parentId: parent?.id ?? null, path })
        .returning({ id: locations.id, path: locations.path });
      this.note("locations", 1);
      return row as { id: string; path: string };
    };
    for (const [s, site] of SITES.entries()) {
      const siteRow = await add(site.name, null);
      for (const [b, building] of BUILDINGS.entries()) {
        const buildingRow = await add(building, siteRow);
        for (const [f, floor] of FLOORS.entries()) {
          const floorRow = await add(floor, buildingRow);
          for (let i = 1; i <= 4; i++) {
            const serverRoom = f === 0 && i === 1;
            const room = await add(serverRoom ? "Server Room" : `Room ${f + 1}${pad(i, 2)}`, floorRow);
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
    this.note("vendors", rows.length);
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
        const [row] = await this.tx
          .insert(assetModels)
          .values({
            categoryId: category.id,
            specVersionId: active.versionId,
            vendorId: vendorIds.get(m.vendor)?.id ?? null,
            brand: m.brand,
            model: m.model,
            spec,
          })
          .returning({ id: assetModels.id });
        list.push({ id: (row as { id: string }).id, plan: m });
      }
      this.note("asset_models", list.length);
      byCategory.set(plan.category, list);
    }
    return byCategory;
  }

  private async assets(
    rooms: Loc[],
    vendorIds: Map<VendorName, { id: string; oui: string }>,
    models: Map<string, { id: string; plan: ModelPlan }[]>,
  ): Promise<AssetRow[]> {
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
    // Every row passes the same validation the application uses.
    const checked = values.map(({ category, ...row }) => ({
      category,
      row: parseInput(insertAssetSchema, row),
    }));
    const ids = (await insertChunked(checked, (chunk) =>
      this.tx
        .insert(assets)
        .values(chunk.map((c) => c.row))
        .returning({ id: assets.id, assetCode: assets.assetCode }),
    )) as { id: string; assetCode: string }[];
    this.note("assets", ids.length);
    const idByCode = new Map(ids.map((a) => [a.assetCode, a.id]));
    return checked.map(({ category, row }) => ({
      id: idByCode.get(row.assetCode) as string,
      assetCode: row.assetCode,
      category,
      status: (row.status ?? "in_stock") as AssetStatus,
      mgmtIp: row.mgmtIp ?? null,
      macAddress: row.macAddress ?? null,
      hostname: row.hostname ?? null,
      locationId: row.locationId ?? null,
      modelId: row.modelId ?? null,
      vendorId: row.vendorId ?? null,
    }));
  }

  private person(): { id: string; name: string } {
    const first = this.r.pick(FIRST_NAMES);
    const last = this.r.pick(LAST_NAMES);
    const n = this.r.int(1, 999);
    return { id: `${first}.${last}${n}`.toLowerCase(), name: `${last} ${first}` };
  }

  private async assignments(rows: AssetRow[]): Promise<void> {
    const values: (typeof assetAssignments.$inferInsert)[] = [];
    const endUser = new Set(["Laptop", "Desktop", "Monitor", "IP Phone"]);
    for (const a of rows) {
      if (!endUser.has(a.category)) continue;
      const assignedAt = new Date(`${dayString("2022-01-01", this.r.int(0, 1000))}T09:00:00Z`);
      if (a.status === "in_use") {
        const p = this.person();
        values.push({
          assetId: a.id,
          assigneeType: "person",
          assigneeId: p.id,
          assigneeName: p.name,
          assignedAt,
        });
      } else if (a.status === "in_stock" && this.r.chance(0.5)) {
        // A returned device keeps its history.
        const p = this.person();
        const returnedAt = new Date(assignedAt.getTime() + this.r.int(30, 400) * 86_400_000);
        values.push({
          assetId: a.id,
          assigneeType: "person",
          assigneeId: p.id,
          assigneeName: p.name,
          assignedAt,
          returnedAt,
          note: "returned to stock",
        });
      }
    }
    for (const a of rows.filter((x) => x.category === "Printer" && x.status === "in_use")) {
      const dept = this.r.pick(DEPARTMENTS);
      values.push({
        assetId: a.id,
        assigneeType: "department",
        assigneeId: dept.toLowerCase(),
        assigneeName: dept,
      });
    }
    await insertChunked(values, (chunk) =>
      this.tx.insert(assetAssignments).values(chunk).returning({ id: assetAssignments.id }),
    );
    this.note("asset_assignments", values.length);
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
    this.note("cmdb_cis", inserted.length);
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
    this.note("cmdb_ci_attr_values", attrRows.length);

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
    this.note("cmdb_relationships", rel.size);

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
    this.note("cmdb_services", svcRows.length);
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
    this.note("cmdb_service_members", members.length);
    return ciId;
  }

  private async warehouse(rooms: Loc[]) {
    const tx = this.tx;
    const r = this.r;
    const siteRoots = await tx
      .select({ id: locations.id, path: locations.path })
      .from(locations)
      .where(sql`${locations.parentId} IS NULL AND ${locations.id} IN (SELECT l.parent_id FROM locations l)`);
    void rooms;
    const whRows = await tx
      .insert(warehouses)
      .values(
        SITES.map((s, i) => ({
          code: `WH-${s.short.toUpperCase()}-01`,
          name: `${s.name} spare parts store`,
          locationId: siteRoots.find((l) => l.path === `/${s.name}/`)?.id ?? siteRoots[i]?.id ?? null,
        })),
      )
      .returning({ id: warehouses.id, code: warehouses.code });
    this.note("warehouses", whRows.length);
    const PARTS = [
      ["SFP-10G-SR", "10GBASE-SR SFP+ transceiver", "optics", "Cisco", "SFP-10G-SR", "38.00"],
      ["SFP-1G-LX", "1000BASE-LX SFP transceiver", "optics", "Cisco", "GLC-LH-SMD", "22.50"],
      ["QSFP-40G-SR4", "40GBASE-SR4 QSFP+ transceiver", "optics", "Juniper", "QFX-QSFP-40G-SR4", "95.00"],
      ["PSU-715W", "715 W power supply (Catalyst 9300)", "power", "Cisco", "PWR-C1-715WAC", "310.00"],
      ["PSU-800W-HP", "800 W flex slot power supply", "power", "HPE", "P38995-B21", "189.00"],
      ["FAN-C9300", "Fan module (Catalyst 9300)", "cooling", "Cisco", "FAN-T2", "85.00"],
      ["RAM-32G-DDR5", "32 GB DDR5-4800 RDIMM", "memory", "Dell", "AC239377", "145.00"],
      ["RAM-16G-SODIMM", "16 GB DDR5 SO-DIMM", "memory", "Lenovo", "4X71K08907", "52.00"],
      ["SSD-960G-SATA", "960 GB SATA SSD (server)", "storage", "Dell", "345-BDZZ", "210.00"],
      ["SSD-512G-NVME", "512 GB NVMe SSD (client)", "storage", "Samsung", "PM9A1", "48.00"],
      ["HDD-2T-SAS", "2 TB 7.2k SAS HDD", "storage", "HPE", "872485-B21", "160.00"],
      ["BAT-RBC55", "UPS replacement battery cartridge", "power", "APC", "APCRBC55", "420.00"],
      ["TONER-59A", "Toner cartridge 59A", "consumables", "HP", "CF259A", "89.00"],
      ["ADAPT-65W-USBC", "65 W USB-C power adapter", "power", "Dell", "DA65NM190", "29.00"],
      ["PATCH-CAT6-2M", "Cat6 patch cable 2 m", "cabling", "Generic", "CAT6-2M", "1.80"],
    ] as const;
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
    this.note("spare_parts", partRows.length);
    const parts = PARTS.map(([code, name, , , , cost]) => ({
      id: partRows.find((p) => p.partCode === `SP-${code}`)?.id as string,
      name,
      cost,
    }));

    // Opening stock: one posted receipt per warehouse, through the ledger (movements), so the
    // stock rows equal the signed sum of movements.
    let doc = 0;
    for (const wh of whRows) {
      doc += 1;
      const [d] = await tx
        .insert(stockDocuments)
        .values({
          docType: "receipt",
          code: `SD-DEMO-${pad(doc)}`,
          status: "posted",
          warehouseId: wh.id,
          docDate: "2025-05-15",
          note: "Opening stock",
          createdBy: "demo",
          approvedBy: "demo",
        })
        .returning({ id: stockDocuments.id });
      const documentId = (d as { id: string }).id;
      const lines = parts.map((p) => ({ documentId, partId: p.id, qty: r.int(5, 60), unitCost: p.cost }));
      await tx.insert(stockDocumentLines).values(lines);
      await tx.insert(sparePartMovements).values(
        lines.map((l) => ({
          warehouseId: wh.id,
          partId: l.partId,
          movementType: "in" as const,
          qty: l.qty,
          unitCost: l.unitCost,
          refType: "stock_document",
          refId: documentId,
          actorUserId: "demo",
        })),
      );
      await tx
        .insert(sparePartStock)
        .values(lines.map((l) => ({ warehouseId: wh.id, partId: l.partId, onHand: l.qty, reserved: 0 })));
      this.note("stock_documents", 1);
      this.note("stock_document_lines", lines.length);
      this.note("spare_part_movements", lines.length);
      this.note("spare_part_stock", lines.length);
    }
    return { parts, warehouseId: whRows[0]?.id as string };
  }

  private async repairs(
    rows: AssetRow[],
    stock: { parts: { id: string; name: string; cost: string }[]; warehouseId: string },
  ) {
    const broken = rows.filter((a) => a.status === "in_repair").slice(0, 4);
    const plans = [
      { title: "Switch reboots under load", severity: "high", status: "diagnosing", repairType: "internal" },
      {
        title: "Laptop does not charge",
        severity: "medium",
        status: "waiting_parts",
        repairType: "internal",
      },
      { title: "Fan noise and overheating", severity: "medium", status: "open", repairType: "vendor" },
      { title: "Cracked screen", severity: "low", status: "open", repairType: "internal" },
    ] as const;
    let n = 0;
    for (const [i, asset] of broken.entries()) {
      const plan = plans[i % plans.length] as (typeof plans)[number];
      n += 1;
      const [ro] = await this.tx
        .insert(repairOrders)
        .values({
          assetId: asset.id,
          code: `RO-DEMO-${pad(n)}`,
          title: plan.title,
          description: `Reported by the user of ${asset.assetCode}`,
          severity: plan.severity,
          status: plan.status,
          repairType: plan.repairType,
          openedAt: new Date(`${dayString(BASE_DAY, -this.r.int(1, 20))}T08:30:00Z`),
          technicianName: plan.repairType === "internal" ? "Tran Quang" : null,
          vendorId: plan.repairType === "vendor" ? asset.vendorId : null,
          createdBy: "demo",
        })
        .returning({ id: repairOrders.id });
      if (plan.status === "waiting_parts") {
        const part = stock.parts.find((p) => p.name.includes("USB-C")) ?? stock.parts[0];
        if (part) {
          await this.tx.insert(repairOrderParts).values({
            repairOrderId: (ro as { id: string }).id,
            partId: part.id,
            partName: part.name,
            warehouseId: stock.warehouseId,
            action: "replace",
            qty: 1,
            unitCost: part.cost,
          });
          this.note("repair_order_parts", 1);
        }
      }
    }
    this.note("repair_orders", n);
  }

  private async inventory(rooms: Loc[], rows: AssetRow[]) {
    const r = this.r;
    const scope = rooms.filter((l) => l.site === 0 && l.building === 0);
    const scopeIds = new Set(scope.map((l) => l.id));
    const [building] = await this.tx
      .select({ id: locations.id })
      .from(locations)
      .where(sql`${locations.path} = ${`/${SITES[0]?.name}/${BUILDINGS[0]}/`}`);
    const [session] = await this.tx
      .insert(inventorySessions)
      .values({
        name: `Inventory ${SITES[0]?.name} ${BUILDINGS[0]} 2025-Q2`,
        locationId: building?.id ?? null,
        status: "in_progress",
        startedAt: new Date(`${BASE_DAY}T07:00:00Z`),
        createdBy: "demo",
      })
      .returning({ id: inventorySessions.id });
    this.note("inventory_sessions", 1);
    const sessionId = (session as { id: string }).id;
    const items: (typeof inventoryItems.$inferInsert)[] = [];
    for (const a of rows) {
      if (!a.locationId || !scopeIds.has(a.locationId) || a.status === "disposed") continue;
      const status = weighted(r, [
        ["found", 85],
        ["moved", 7],
        ["missing", 5],
        ["unknown", 3],
      ] as ["found" | "moved" | "missing" | "unknown", number][]);
      const scanned = status === "found" ? a.locationId : status === "moved" ? r.pick(scope).id : null;
      items.push({
        sessionId,
        assetId: a.id,
        expectedLocationId: a.locationId,
        scannedLocationId: scanned,
        scannedAt: scanned
          ? new Date(`${BASE_DAY}T${pad(r.int(8, 16), 2)}:${pad(r.int(0, 59), 2)}:00Z`)
          : null,
        status,
      });
    }
    await insertChunked(items, (chunk) =>
      this.tx.insert(inventoryItems).values(chunk).returning({ id: inventoryItems.id }),
    );
    this.note("inventory_items", items.length);
  }
}
