/**
 * The plan of the demo data set: what exists (sites, vendors, categories and their models, people,
 * parts, repair cases, services), kept apart from the builder (seed/demo.ts) that creates it through
 * the domain operations. Counts and fixed values here; random choices come from the builder's PRNG.
 */
import type { JsonObject } from "../src/schema/index.js";
import {
  DEPARTMENTS as SCALE_DEPARTMENTS,
  FIRST_NAMES as SCALE_FIRST_NAMES,
  LAST_NAMES as SCALE_LAST_NAMES,
} from "./scale/catalog.js";

export const SITES = [
  { name: "HCM Campus", short: "hcm", net: 10 },
  { name: "HN Datacenter", short: "hn", net: 11 },
];
export const BUILDINGS = ["Building A", "Building B"];
export const FLOORS = ["Floor 1", "Floor 2", "Floor 3"];

export const VENDORS = [
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
export type VendorName = (typeof VENDORS)[number]["name"];

export interface ModelPlan {
  vendor: VendorName;
  brand: string;
  model: string;
  fixed?: JsonObject;
}

export interface CategoryPlan {
  category: string;
  prefix: string;
  count: number;
  infra: boolean;
  vlan: number | null;
  networked: boolean;
  models: ModelPlan[];
}

export const PLAN: CategoryPlan[] = [
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

// People: the scale data set's name lists (seed/scale/catalog.ts), cut to the part the demo has
// always used, so the demo's rows stay what they were.
export const FIRST_NAMES = SCALE_FIRST_NAMES.slice(0, 18);
export const LAST_NAMES = SCALE_LAST_NAMES.slice(0, 10);
export const DEPARTMENTS = SCALE_DEPARTMENTS.slice(0, 6);

/** Spare parts: [code, name, category, manufacturer, model, unit cost of the opening receipt]. */
export const PARTS = [
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

/**
 * Repair cases, given in turn to the assets the plan sends to repair: each opens a repair order;
 * `progress` is where it is now; `part` (a PARTS code) is consumed through a posted issue document.
 */
export const REPAIR_CASES = [
  {
    title: "Device reboots under load",
    severity: "high",
    progress: "diagnosing",
    repairType: "internal",
    part: "PSU-715W",
  },
  {
    title: "Does not charge",
    severity: "medium",
    progress: "waiting_parts",
    repairType: "internal",
    part: "ADAPT-65W-USBC",
  },
  {
    title: "Fan noise and overheating",
    severity: "medium",
    progress: null,
    repairType: "vendor",
    part: null,
  },
  { title: "Cracked screen or housing", severity: "low", progress: null, repairType: "internal", part: null },
] as const;
