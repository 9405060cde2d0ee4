/**
 * Fixed vocabulary of the scale data set: how the estate splits into categories (weights shaped
 * like a mid-size enterprise: mostly end-user devices, a few percent infrastructure), the vendors
 * behind each category, regions and people's names. Category names match seed/reference.ts.
 */
export const REGIONS = ["APAC North", "APAC South", "Europe", "Americas", "Middle East & Africa"] as const;

export const VENDORS = [
  { name: "Cisco Systems", oui: "00000c", brand: "Cisco" },
  { name: "Juniper Networks", oui: "000585", brand: "Juniper" },
  { name: "Fortinet", oui: "00090f", brand: "Fortinet" },
  { name: "HPE Aruba Networking", oui: "000b86", brand: "Aruba" },
  { name: "Dell Technologies", oui: "d4ae52", brand: "Dell" },
  { name: "Hewlett Packard Enterprise", oui: "9440c9", brand: "HPE" },
  { name: "Lenovo", oui: "e8e0b7", brand: "Lenovo" },
  { name: "APC by Schneider Electric", oui: "000654", brand: "APC" },
  { name: "NetApp", oui: "00a098", brand: "NetApp" },
  { name: "Yealink", oui: "805ec0", brand: "Yealink" },
  { name: "HP Inc.", oui: "3024a9", brand: "HP" },
  { name: "LG Electronics", oui: "a8237f", brand: "LG" },
  { name: "Apple", oui: "3c0754", brand: "Apple" },
  { name: "Palo Alto Networks", oui: "001b17", brand: "Palo Alto" },
  { name: "Pure Storage", oui: "24a937", brand: "Pure" },
  { name: "Samsung", oui: "002399", brand: "Samsung" },
] as const;

export interface CategoryPlan {
  /** Name of the reference category (seed/reference.ts). */
  category: string;
  /** Asset code prefix. */
  prefix: string;
  /** Share of the estate, in per mille. */
  weight: number;
  /** Lives in racks, managed by IT operations (assigned to a system when in use). */
  infra: boolean;
  vlan: number | null;
  /** Has a MAC address. */
  networked: boolean;
  /** Has a management IP and a host name. */
  managed: boolean;
  /** Indexes into VENDORS. */
  vendors: number[];
}

export const CATEGORY_PLAN: CategoryPlan[] = [
  {
    category: "Switch",
    prefix: "SW",
    weight: 40,
    infra: true,
    vlan: 10,
    networked: true,
    managed: true,
    vendors: [0, 1, 3],
  },
  {
    category: "Router",
    prefix: "RT",
    weight: 6,
    infra: true,
    vlan: 10,
    networked: true,
    managed: true,
    vendors: [0, 1],
  },
  {
    category: "Firewall",
    prefix: "FW",
    weight: 4,
    infra: true,
    vlan: 10,
    networked: true,
    managed: true,
    vendors: [2, 13],
  },
  {
    category: "Access Point",
    prefix: "AP",
    weight: 50,
    infra: false,
    vlan: 20,
    networked: true,
    managed: true,
    vendors: [0, 3],
  },
  {
    category: "Server",
    prefix: "SRV",
    weight: 30,
    infra: true,
    vlan: 10,
    networked: true,
    managed: true,
    vendors: [4, 5, 6],
  },
  {
    category: "Storage Array",
    prefix: "STO",
    weight: 3,
    infra: true,
    vlan: 10,
    networked: true,
    managed: true,
    vendors: [8, 4, 14],
  },
  {
    category: "UPS",
    prefix: "UPS",
    weight: 10,
    infra: true,
    vlan: 10,
    networked: true,
    managed: true,
    vendors: [7],
  },
  {
    category: "Laptop",
    prefix: "LT",
    weight: 350,
    infra: false,
    vlan: 100,
    networked: true,
    managed: false,
    vendors: [4, 6, 10, 12],
  },
  {
    category: "Desktop",
    prefix: "DT",
    weight: 200,
    infra: false,
    vlan: 110,
    networked: true,
    managed: false,
    vendors: [4, 10, 6],
  },
  {
    category: "Monitor",
    prefix: "MON",
    weight: 200,
    infra: false,
    vlan: null,
    networked: false,
    managed: false,
    vendors: [4, 11, 15],
  },
  {
    category: "Printer",
    prefix: "PRN",
    weight: 20,
    infra: false,
    vlan: 40,
    networked: true,
    managed: true,
    vendors: [10],
  },
  {
    category: "IP Phone",
    prefix: "PH",
    weight: 87,
    infra: false,
    vlan: 30,
    networked: true,
    managed: true,
    vendors: [9, 0],
  },
];

export const FIRST_NAMES = [
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
  "Anna",
  "Ben",
  "Carla",
  "David",
  "Emma",
  "Farid",
  "Grace",
  "Hiro",
] as const;
export const LAST_NAMES = [
  "Nguyen",
  "Tran",
  "Le",
  "Pham",
  "Hoang",
  "Vu",
  "Dang",
  "Bui",
  "Do",
  "Ngo",
  "Smith",
  "Garcia",
  "Mueller",
  "Tanaka",
  "Kim",
  "Singh",
  "Rossi",
  "Martin",
] as const;
export const DEPARTMENTS = [
  "Finance",
  "Sales",
  "Engineering",
  "Operations",
  "HR",
  "Support",
  "Legal",
  "Marketing",
] as const;

/** Every date of the data set is relative to this day (no wall clock: the same seed, the same rows). */
export const BASE_DAY = "2025-06-01";
