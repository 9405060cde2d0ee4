/**
 * Reference data: the rows every NetOpsAI database starts with, as typed arrays of the tables'
 * insert types. Natural keys: category name + spec version, CI type code + version, definition key,
 * relationship type code, provider id, model id, orchestration rule name. `seedReference` loads them
 * idempotently; editing a value here and re-running updates exactly that row.
 *
 * No API key is ever seeded: providers are configured without credentials (set them in the app).
 */
import type {
  NewAiProvider,
  NewAssetCategorySpecDef,
  NewCmdbCiTypeAttrDef,
  NewCmdbRelationshipType,
  NewModelConfig,
  NewOrchestrationRule,
} from "../src/schema/index.js";

/** A field definition without its owning version (resolved by the loader). */
export type SpecDefSeed = Omit<NewAssetCategorySpecDef, "id" | "versionId">;
export type AttrDefSeed = Omit<NewCmdbCiTypeAttrDef, "id" | "versionId">;

export interface AssetCategorySeed {
  name: string;
  /** Spec version 1, active. */
  spec: { version: number; status: "draft" | "active" | "retired"; defs: SpecDefSeed[] };
}

export interface CiTypeSeed {
  code: string;
  name: string;
  description?: string;
  attrs: { version: number; status: "draft" | "active" | "retired"; defs: AttrDefSeed[] };
}

/** Allowed ends by CI type code (omitted = any type). */
export type RelationshipTypeSeed = Omit<
  NewCmdbRelationshipType,
  "id" | "allowedFromTypeId" | "allowedToTypeId"
> & {
  allowedFrom?: string;
  allowedTo?: string;
};

/** `apiKey` is excluded by type: a seed can never carry a credential. */
export type AiProviderSeed = Omit<NewAiProvider, "apiKey" | "createdAt" | "updatedAt">;

export interface ReferenceData {
  assetCategories: AssetCategorySeed[];
  ciTypes: CiTypeSeed[];
  relationshipTypes: RelationshipTypeSeed[];
  aiProviders: AiProviderSeed[];
  modelConfigs: Omit<NewModelConfig, "createdAt" | "updatedAt">[];
  orchestrationRules: Omit<NewOrchestrationRule, "id" | "createdAt" | "updatedAt">[];
}

// --- field definition building blocks (every def lists every column, so re-seeding can reset one) ---

type Def = SpecDefSeed & AttrDefSeed;

const base = {
  unit: null,
  required: false,
  enumValues: null,
  pattern: null,
  minLen: null,
  maxLen: null,
  minValue: null,
  maxValue: null,
  stepValue: null,
  precision: null,
  scale: null,
  defaultValue: null,
  helpText: null,
  isActive: true,
  isReadonly: false,
  isSearchable: false,
  isFilterable: false,
} satisfies Omit<Def, "key" | "label" | "fieldType" | "sortOrder">;

type Extra = Partial<Omit<Def, "key" | "label" | "fieldType" | "sortOrder">>;

const str = (key: string, label: string, sortOrder: number, extra: Extra = {}): Def => ({
  ...base,
  key,
  label,
  fieldType: "string",
  sortOrder,
  ...extra,
});
const num = (
  key: string,
  label: string,
  sortOrder: number,
  [min, max, step]: [string, string, string],
  extra: Extra = {},
): Def => ({
  ...base,
  key,
  label,
  fieldType: "number",
  sortOrder,
  minValue: min,
  maxValue: max,
  stepValue: step,
  ...extra,
});
const bool = (key: string, label: string, sortOrder: number, extra: Extra = {}): Def => ({
  ...base,
  key,
  label,
  fieldType: "boolean",
  sortOrder,
  ...extra,
});
const enm = (key: string, label: string, sortOrder: number, values: string[], extra: Extra = {}): Def => ({
  ...base,
  key,
  label,
  fieldType: "enum",
  sortOrder,
  enumValues: values,
  isFilterable: true,
  ...extra,
});
const date = (key: string, label: string, sortOrder: number, extra: Extra = {}): Def => ({
  ...base,
  key,
  label,
  fieldType: "date",
  sortOrder,
  ...extra,
});
const ip = (key: string, label: string, sortOrder: number, extra: Extra = {}): Def => ({
  ...base,
  key,
  label,
  fieldType: "ip",
  sortOrder,
  isSearchable: true,
  ...extra,
});
const mac = (key: string, label: string, sortOrder: number, extra: Extra = {}): Def => ({
  ...base,
  key,
  label,
  fieldType: "mac",
  sortOrder,
  isSearchable: true,
  helpText: "Any common notation; stored as aa:bb:cc:dd:ee:ff",
  ...extra,
});

const firmware = (sortOrder: number, required = true) =>
  str("firmware_version", "Firmware version", sortOrder, {
    required,
    pattern: "^\\d+(\\.\\d+){1,3}([-.][0-9A-Za-z]+)*$",
    maxLen: 50,
    isSearchable: true,
    helpText: "e.g. 17.9.4a or 7.2.8-build1639",
  });
const managementIp = (sortOrder: number) =>
  ip("management_ip", "Management IP", sortOrder, { helpText: "Out-of-band or in-band management address" });
const baseMac = (sortOrder: number) => mac("base_mac", "Base MAC address", sortOrder);
const rackUnits = (sortOrder: number, max = "10") =>
  num("rack_units", "Rack units", sortOrder, ["1", max, "1"], { unit: "U" });
const endOfSupport = (sortOrder: number) => date("end_of_support", "End of vendor support", sortOrder);
const ramGb = (sortOrder: number, max = "4096") =>
  num("ram_gb", "Memory", sortOrder, ["1", max, "1"], { unit: "GB", required: true, isFilterable: true });
const os = (sortOrder: number, values: string[]) =>
  enm("operating_system", "Operating system", sortOrder, values, { required: true });
const hostname = (sortOrder: number) =>
  str("hostname", "Host name", sortOrder, {
    required: true,
    pattern: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    maxLen: 253,
    isSearchable: true,
  });
const port = (key: string, label: string, sortOrder: number, extra: Extra = {}) =>
  num(key, label, sortOrder, ["1", "65535", "1"], extra);

const POE_CLASSES = ["802.3af", "802.3at", "802.3bt"];
const SPEEDS = ["1G", "2.5G", "10G", "25G", "40G", "100G"];

export const referenceData: ReferenceData = {
  assetCategories: [
    {
      name: "Switch",
      spec: {
        version: 1,
        status: "active",
        defs: [
          num("port_count", "Access ports", 10, ["1", "96", "1"], {
            unit: "ports",
            required: true,
            isFilterable: true,
          }),
          enm("uplink_speed", "Uplink speed", 20, SPEEDS, { required: true }),
          enm("layer", "Switching layer", 30, ["L2", "L3"], { defaultValue: "L2" }),
          num("poe_budget", "PoE budget", 40, ["0", "10000", "0.1"], { unit: "W", precision: 6, scale: 1 }),
          bool("stackable", "Stackable", 50, { defaultValue: false }),
          firmware(60),
          managementIp(70),
          baseMac(80),
          rackUnits(90, "4"),
          endOfSupport(100),
        ],
      },
    },
    {
      name: "Router",
      spec: {
        version: 1,
        status: "active",
        defs: [
          num("wan_ports", "WAN ports", 10, ["1", "64", "1"], { unit: "ports", required: true }),
          num("throughput_gbps", "Routing throughput", 20, ["0.1", "1000", "0.1"], {
            unit: "Gbps",
            precision: 5,
            scale: 1,
          }),
          enm("uplink_speed", "Uplink speed", 30, SPEEDS, { required: true }),
          bool("supports_bgp", "BGP capable", 40, { defaultValue: true }),
          firmware(50),
          managementIp(60),
          baseMac(70),
          rackUnits(80, "8"),
          endOfSupport(90),
        ],
      },
    },
    {
      name: "Firewall",
      spec: {
        version: 1,
        status: "active",
        defs: [
          num("throughput_gbps", "Firewall throughput", 10, ["0.1", "1000", "0.1"], {
            unit: "Gbps",
            required: true,
            precision: 5,
            scale: 1,
          }),
          num("max_vpn_tunnels", "Max VPN tunnels", 20, ["0", "100000", "1"], { unit: "tunnels" }),
          bool("ha_capable", "High-availability pair", 30, { defaultValue: false }),
          enm("license_tier", "License tier", 40, ["base", "utm", "enterprise"], { required: true }),
          date("license_expires", "License expires", 50, { required: true }),
          firmware(60),
          managementIp(70),
          baseMac(80),
          rackUnits(90, "4"),
        ],
      },
    },
    {
      name: "Access Point",
      spec: {
        version: 1,
        status: "active",
        defs: [
          enm("wifi_standard", "Wi-Fi standard", 10, ["wifi5", "wifi6", "wifi6e", "wifi7"], {
            required: true,
          }),
          num("radio_count", "Radios", 20, ["1", "4", "1"], { unit: "radios", defaultValue: 2 }),
          num("max_clients", "Max clients", 30, ["1", "2048", "1"], { unit: "clients" }),
          enm("poe_class", "PoE class", 40, POE_CLASSES, { required: true }),
          bool("outdoor", "Outdoor rated", 50, { defaultValue: false }),
          firmware(60),
          managementIp(70),
          baseMac(80),
        ],
      },
    },
    {
      name: "Server",
      spec: {
        version: 1,
        status: "active",
        defs: [
          enm("form_factor", "Form factor", 10, ["rack", "tower", "blade"], { required: true }),
          num("cpu_sockets", "CPU sockets", 20, ["1", "8", "1"], { unit: "sockets", required: true }),
          num("cpu_cores", "CPU cores (total)", 30, ["1", "1024", "1"], { unit: "cores", required: true }),
          ramGb(40),
          num("storage_tb", "Local storage", 50, ["0", "1000", "0.01"], {
            unit: "TB",
            precision: 6,
            scale: 2,
          }),
          num("psu_count", "Power supplies", 60, ["1", "4", "1"], { unit: "PSU", defaultValue: 2 }),
          ip("bmc_ip", "BMC / iDRAC / iLO IP", 70),
          baseMac(80),
          rackUnits(90, "10"),
          firmware(100, false),
          endOfSupport(110),
        ],
      },
    },
    {
      name: "Storage Array",
      spec: {
        version: 1,
        status: "active",
        defs: [
          num("raw_capacity_tb", "Raw capacity", 10, ["0.1", "100000", "0.1"], {
            unit: "TB",
            required: true,
            precision: 7,
            scale: 1,
          }),
          num("usable_capacity_tb", "Usable capacity", 20, ["0.1", "100000", "0.1"], {
            unit: "TB",
            precision: 7,
            scale: 1,
          }),
          enm("protocol", "Access protocol", 30, ["iscsi", "fc", "nfs", "smb", "nvme_of"], {
            required: true,
          }),
          enm("raid_level", "RAID level", 40, ["raid1", "raid5", "raid6", "raid10", "erasure"], {
            defaultValue: "raid6",
          }),
          num("controllers", "Controllers", 50, ["1", "8", "1"], { defaultValue: 2 }),
          managementIp(60),
          firmware(70),
          rackUnits(80, "24"),
        ],
      },
    },
    {
      name: "UPS",
      spec: {
        version: 1,
        status: "active",
        defs: [
          num("capacity_va", "Capacity", 10, ["300", "500000", "10"], { unit: "VA", required: true }),
          num("capacity_w", "Real power", 20, ["200", "500000", "10"], { unit: "W" }),
          num("runtime_min", "Runtime at half load", 30, ["1", "600", "1"], { unit: "min" }),
          enm("input_voltage", "Input voltage", 40, ["120V", "208V", "230V", "400V"], { required: true }),
          bool("rack_mountable", "Rack mountable", 50, { defaultValue: true }),
          date("battery_replaced_on", "Battery last replaced", 60),
          ip("network_card_ip", "Network card IP", 70),
          rackUnits(80, "6"),
        ],
      },
    },
    {
      name: "Laptop",
      spec: {
        version: 1,
        status: "active",
        defs: [
          str("cpu_model", "CPU model", 10, { required: true, minLen: 2, maxLen: 100 }),
          ramGb(20, "256"),
          num("storage_gb", "Storage", 30, ["64", "16384", "1"], { unit: "GB", required: true }),
          num("screen_inches", "Screen size", 40, ["10", "18.4", "0.1"], {
            unit: "in",
            precision: 3,
            scale: 1,
          }),
          os(50, ["windows11", "windows10", "macos", "ubuntu", "chromeos"]),
          bool("disk_encrypted", "Disk encrypted", 60, { required: true, defaultValue: true }),
          mac("wifi_mac", "Wi-Fi MAC address", 70),
        ],
      },
    },
    {
      name: "Desktop",
      spec: {
        version: 1,
        status: "active",
        defs: [
          str("cpu_model", "CPU model", 10, { required: true, minLen: 2, maxLen: 100 }),
          ramGb(20, "512"),
          num("storage_gb", "Storage", 30, ["64", "65536", "1"], { unit: "GB", required: true }),
          enm("form_factor", "Form factor", 40, ["tower", "sff", "micro", "all_in_one"], { required: true }),
          os(50, ["windows11", "windows10", "ubuntu"]),
          mac("ethernet_mac", "Ethernet MAC address", 60),
        ],
      },
    },
    {
      name: "Monitor",
      spec: {
        version: 1,
        status: "active",
        defs: [
          num("screen_inches", "Screen size", 10, ["15", "65", "0.1"], {
            unit: "in",
            required: true,
            precision: 3,
            scale: 1,
          }),
          enm("resolution", "Native resolution", 20, ["1920x1080", "2560x1440", "3440x1440", "3840x2160"], {
            required: true,
          }),
          enm("panel_type", "Panel type", 30, ["ips", "va", "tn", "oled"]),
          num("refresh_hz", "Refresh rate", 40, ["50", "360", "1"], { unit: "Hz", defaultValue: 60 }),
          bool("usb_c", "USB-C input", 50, { defaultValue: false }),
        ],
      },
    },
    {
      name: "Printer",
      spec: {
        version: 1,
        status: "active",
        defs: [
          enm("technology", "Print technology", 10, ["laser", "inkjet", "thermal"], { required: true }),
          bool("color", "Color", 20, { required: true }),
          bool("duplex", "Duplex", 30, { defaultValue: true }),
          num("pages_per_minute", "Speed", 40, ["1", "200", "1"], { unit: "ppm" }),
          ip("ip_address", "IP address", 50),
          mac("mac_address", "MAC address", 60),
        ],
      },
    },
    {
      name: "IP Phone",
      spec: {
        version: 1,
        status: "active",
        defs: [
          str("extension", "Default extension", 10, { pattern: "^\\d{3,6}$", isSearchable: true }),
          num("line_keys", "Line keys", 20, ["1", "16", "1"], { defaultValue: 2 }),
          enm("poe_class", "PoE class", 30, POE_CLASSES, { defaultValue: "802.3af" }),
          bool("has_display", "Color display", 40, { defaultValue: true }),
          mac("mac_address", "MAC address", 50),
          ip("ip_address", "IP address", 60),
          firmware(70, false),
        ],
      },
    },
  ],

  ciTypes: [
    {
      code: "physical_server",
      name: "Physical server",
      description: "Bare-metal host, usually backed by a Server asset",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          hostname(10),
          os(20, ["rhel", "ubuntu", "debian", "windows_server", "esxi", "proxmox"]),
          str("os_version", "OS version", 30, { maxLen: 50 }),
          num("cpu_cores", "CPU cores", 40, ["1", "1024", "1"], { unit: "cores" }),
          ramGb(50),
          ip("primary_ip", "Primary IP", 60, { required: true }),
          ip("bmc_ip", "BMC IP", 70),
        ],
      },
    },
    {
      code: "virtual_machine",
      name: "Virtual machine",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          hostname(10),
          os(20, ["rhel", "ubuntu", "debian", "windows_server"]),
          num("vcpu", "vCPUs", 30, ["1", "256", "1"], { unit: "vCPU", required: true }),
          ramGb(40, "2048"),
          enm("hypervisor", "Hypervisor", 50, ["vmware", "kvm", "hyperv", "proxmox"], { required: true }),
          ip("primary_ip", "Primary IP", 60, { required: true }),
        ],
      },
    },
    {
      code: "network_device",
      name: "Network device",
      description: "Switch, router, firewall or access point in service",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          hostname(10),
          enm("role", "Network role", 20, ["core", "distribution", "access", "edge", "wan", "wireless"], {
            required: true,
          }),
          ip("management_ip", "Management IP", 30, { required: true }),
          baseMac(40),
          firmware(50, false),
        ],
      },
    },
    {
      code: "application",
      name: "Application",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          str("app_version", "Version", 10, {
            required: true,
            pattern: "^\\d+\\.\\d+(\\.\\d+)?([-+][0-9A-Za-z.]+)?$",
          }),
          enm("runtime", "Runtime", 20, ["node", "java", "dotnet", "python", "go", "php"], {
            required: true,
          }),
          port("listen_port", "Listen port", 30, { required: true }),
          str("health_check_path", "Health check path", 40, {
            pattern: "^/[\\w./-]*$",
            defaultValue: "/health",
          }),
          str("repository_url", "Repository URL", 50, { pattern: "^https://", maxLen: 500 }),
        ],
      },
    },
    {
      code: "database",
      name: "Database",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          enm("engine", "Engine", 10, ["postgresql", "mysql", "mssql", "oracle", "mongodb", "redis"], {
            required: true,
          }),
          str("engine_version", "Engine version", 20, { required: true, pattern: "^\\d+(\\.\\d+){0,2}$" }),
          port("port", "Port", 30, { required: true }),
          num("size_gb", "Size", 40, ["0", "1000000", "0.1"], { unit: "GB", precision: 8, scale: 1 }),
          bool("ha_enabled", "High availability", 50, { defaultValue: false }),
          bool("backup_enabled", "Backups enabled", 60, { required: true, defaultValue: true }),
        ],
      },
    },
    {
      code: "load_balancer",
      name: "Load balancer",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          ip("vip", "Virtual IP", 10, { required: true }),
          port("listen_port", "Listen port", 20, { required: true }),
          enm("algorithm", "Algorithm", 30, ["round_robin", "least_conn", "ip_hash"], {
            defaultValue: "round_robin",
          }),
          bool("tls_enabled", "TLS termination", 40, { defaultValue: true }),
          str("health_check_path", "Health check path", 50, {
            pattern: "^/[\\w./-]*$",
            defaultValue: "/health",
          }),
        ],
      },
    },
    {
      code: "storage",
      name: "Storage",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          enm("protocol", "Protocol", 10, ["iscsi", "fc", "nfs", "smb", "nvme_of"], { required: true }),
          num("capacity_tb", "Capacity", 20, ["0.1", "100000", "0.1"], { unit: "TB", required: true }),
          ip("management_ip", "Management IP", 30),
        ],
      },
    },
    {
      code: "business_service_endpoint",
      name: "Business service endpoint",
      description: "A URL or port through which users reach a business service",
      attrs: {
        version: 1,
        status: "active",
        defs: [
          str("url", "URL", 10, {
            required: true,
            pattern: "^https?://[^\\s]+$",
            maxLen: 500,
            isSearchable: true,
          }),
          enm("protocol", "Protocol", 20, ["http", "https", "grpc", "tcp"], { required: true }),
          bool("auth_required", "Authentication required", 30, { defaultValue: true }),
          num("sla_target_pct", "SLA target", 40, ["90", "100", "0.01"], {
            unit: "%",
            precision: 5,
            scale: 2,
          }),
          date("go_live", "Go-live date", 50),
        ],
      },
    },
  ],

  relationshipTypes: [
    { code: "depends_on", name: "depends on", reverseName: "used by" },
    { code: "runs_on", name: "runs on", reverseName: "hosts" },
    {
      code: "connects_to",
      name: "connects to",
      reverseName: "connected from",
      allowedFrom: "network_device",
    },
    { code: "contains", name: "contains", reverseName: "contained in" },
    { code: "backs_up", name: "backs up", reverseName: "backed up by", allowedFrom: "storage" },
    { code: "member_of", name: "member of", reverseName: "has member" },
    {
      code: "load_balances",
      name: "load balances",
      reverseName: "load balanced by",
      allowedFrom: "load_balancer",
    },
  ],

  aiProviders: [
    {
      id: "openai",
      name: "OpenAI",
      description: "GPT models via the OpenAI API",
      apiEndpoint: "https://api.openai.com/v1",
      authType: "bearer",
      capabilities: { chat: true, embeddings: true, vision: true, tools: true },
      status: "active",
      rateLimitPerMinute: 500,
      metadata: {},
    },
    {
      id: "anthropic",
      name: "Anthropic",
      description: "Claude models via the Anthropic Messages API",
      apiEndpoint: "https://api.anthropic.com/v1",
      authType: "api_key_header",
      capabilities: { chat: true, vision: true, tools: true },
      status: "active",
      rateLimitPerMinute: 50,
      metadata: {},
    },
    {
      id: "google",
      name: "Google Gemini",
      description: "Gemini models via the Generative Language API",
      apiEndpoint: "https://generativelanguage.googleapis.com/v1beta",
      authType: "api_key_query",
      capabilities: { chat: true, vision: true, tools: true },
      status: "active",
      rateLimitPerMinute: 60,
      metadata: {},
    },
    {
      id: "openrouter",
      name: "OpenRouter",
      description: "Many vendors' models behind one OpenAI-compatible API",
      apiEndpoint: "https://openrouter.ai/api/v1",
      authType: "bearer",
      capabilities: { chat: true, tools: true },
      status: "active",
      rateLimitPerMinute: 200,
      metadata: {},
    },
    {
      id: "ollama",
      name: "Ollama (local)",
      description: "Self-hosted open models; no credentials",
      apiEndpoint: "http://localhost:11434/v1",
      authType: "none",
      capabilities: { chat: true, embeddings: true },
      status: "active",
      rateLimitPerMinute: null,
      metadata: { local: true },
    },
  ],

  modelConfigs: [
    {
      id: "ollama/llama3.1:8b",
      provider: "ollama",
      tier: 0,
      displayName: "Llama 3.1 8B (local)",
      contextWindow: 131072,
      maxTokens: 4096,
      costPer1kInput: "0",
      costPer1kOutput: "0",
      capabilities: { chat: true, tools: false },
      supportsStreaming: true,
      supportsFunctions: false,
      supportsVision: false,
      priority: 10,
      description: "Free local model for simple lookups and drafts",
    },
    {
      id: "openai/gpt-4o-mini",
      provider: "openai",
      tier: 1,
      displayName: "GPT-4o mini",
      contextWindow: 128000,
      maxTokens: 16384,
      costPer1kInput: "0.00015",
      costPer1kOutput: "0.0006",
      capabilities: { chat: true, tools: true, vision: true, json_mode: true },
      supportsStreaming: true,
      supportsFunctions: true,
      supportsVision: true,
      priority: 10,
      description: "Default conversation model",
    },
    {
      id: "google/gemini-1.5-flash",
      provider: "google",
      tier: 1,
      displayName: "Gemini 1.5 Flash",
      contextWindow: 1000000,
      maxTokens: 8192,
      costPer1kInput: "0.000075",
      costPer1kOutput: "0.0003",
      capabilities: { chat: true, tools: true, vision: true, long_context: true },
      supportsStreaming: true,
      supportsFunctions: true,
      supportsVision: true,
      priority: 20,
    },
    {
      id: "anthropic/claude-3-5-haiku",
      provider: "anthropic",
      tier: 1,
      displayName: "Claude 3.5 Haiku",
      contextWindow: 200000,
      maxTokens: 8192,
      costPer1kInput: "0.0008",
      costPer1kOutput: "0.004",
      capabilities: { chat: true, tools: true },
      supportsStreaming: true,
      supportsFunctions: true,
      supportsVision: false,
      priority: 30,
    },
    {
      id: "openai/gpt-4o",
      provider: "openai",
      tier: 2,
      displayName: "GPT-4o",
      contextWindow: 128000,
      maxTokens: 16384,
      costPer1kInput: "0.0025",
      costPer1kOutput: "0.01",
      capabilities: { chat: true, tools: true, vision: true, json_mode: true },
      supportsStreaming: true,
      supportsFunctions: true,
      supportsVision: true,
      priority: 10,
    },
    {
      id: "anthropic/claude-3-5-sonnet",
      provider: "anthropic",
      tier: 2,
      displayName: "Claude 3.5 Sonnet",
      contextWindow: 200000,
      maxTokens: 8192,
      costPer1kInput: "0.003",
      costPer1kOutput: "0.015",
      capabilities: { chat: true, tools: true, vision: true },
      supportsStreaming: true,
      supportsFunctions: true,
      supportsVision: true,
      priority: 20,
    },
    {
      id: "openai/o1",
      provider: "openai",
      tier: 3,
      displayName: "o1 (reasoning)",
      contextWindow: 200000,
      maxTokens: 100000,
      costPer1kInput: "0.015",
      costPer1kOutput: "0.06",
      capabilities: { chat: true, reasoning: true, vision: true },
      supportsStreaming: false,
      supportsFunctions: true,
      supportsVision: true,
      priority: 10,
      description: "Escalation target for hard diagnostics",
    },
    {
      id: "anthropic/claude-3-opus",
      provider: "anthropic",
      tier: 3,
      displayName: "Claude 3 Opus",
      contextWindow: 200000,
      maxTokens: 4096,
      costPer1kInput: "0.015",
      costPer1kOutput: "0.075",
      capabilities: { chat: true, tools: true, vision: true },
      supportsStreaming: true,
      supportsFunctions: true,
      supportsVision: true,
      priority: 20,
    },
  ],

  orchestrationRules: [
    {
      name: "default",
      description: "Start cheap, escalate one tier when the quality score is low or the request is complex",
      strategy: "escalation",
      modelSequence: ["ollama/llama3.1:8b", "openai/gpt-4o-mini", "openai/gpt-4o", "openai/o1"],
      conditions: { min_quality_score: 0.7, max_escalations: 2, escalate_on: ["low_quality", "tool_error"] },
      enabled: true,
      priority: 100,
      metadata: { default: true },
    },
  ],
};
