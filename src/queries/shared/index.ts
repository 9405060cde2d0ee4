export * from "./errors.js";
export * from "./keyset.js";
export * from "./prepared.js";
