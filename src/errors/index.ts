/**
 * The error model: one base (NetOpsError, closed `code` union), domain refusals, operational errors
 * of the commands, PostgreSQL errors mapped by SQLSTATE, parseInput, and the exit-code table.
 * Commands import the module they need (base, operational, exit-codes) rather than this barrel,
 * which also loads the SQLSTATE mapping.
 */
export * from "./base.js";
export * from "./database.js";
export * from "./domain.js";
export * from "./exit-codes.js";
export * from "./operational.js";
export * from "./parse-input.js";
export * from "./security.js";
export { dbErrorOf, loadConstraintCatalogue, toDbError, withDbErrors } from "./sqlstate.js";
