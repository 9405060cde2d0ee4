export * from "./keyset.js";
export * from "./like.js";
export * from "./prepared.js";
export * from "./rows.js";
