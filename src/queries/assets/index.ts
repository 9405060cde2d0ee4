/** Asset operations: lifecycle, creation, assignment, moves, the location tree and search. */
export * from "./assets.js";
export * from "./lifecycle.js";
export * from "./locations.js";
export * from "./search.js";
