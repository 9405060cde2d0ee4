/** Inventory sessions: start for a location subtree, scan, close, summary. */
export * from "./count-sessions.js";
