export * from "./keyset.js";
export * from "./prepared.js";
