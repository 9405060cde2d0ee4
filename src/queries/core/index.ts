/** Core: sessions stored as token digests; usage logs rolled up into user_token_stats. */
export * from "./login-sessions.js";
export * from "./usage.js";
