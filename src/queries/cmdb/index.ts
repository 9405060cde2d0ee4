/** CMDB operations: CIs with validated attributes, relationships, impact analysis, service maps. */
export * from "./cis.js";
export * from "./impact.js";
export * from "./relationships.js";
