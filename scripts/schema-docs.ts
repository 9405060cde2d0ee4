/**
 * `npm run docs`: write docs/schema.md from the schema code.
 * `npm run docs -- --check`: exit 1 when docs/schema.md is missing or differs (CI), writing nothing.
 * `--out <path>` writes or checks another file (tests).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderSchemaDocs } from "../src/docs/schema-docs.js";

function main(): number {
  let values: { check?: boolean; out?: string };
  try {
    values = parseArgs({ options: { check: { type: "boolean" }, out: { type: "string" } } }).values;
  } catch (error) {
    console.error(
      `usage error: ${(error as Error).message}\nusage: npm run docs [-- --check] [--out <path>]`,
    );
    return 2;
  }
  const path = values.out ?? "docs/schema.md";
  const expected = renderSchemaDocs();
  if (!values.check) {
    writeFileSync(path, expected);
    console.log(`docs: wrote ${path}`);
    return 0;
  }
  let actual: string | null = null;
  try {
    actual = readFileSync(path, "utf8");
  } catch {
    actual = null;
  }
  if (actual === expected) {
    console.log(`docs: ${path} is up to date`);
    return 0;
  }
  console.error(
    `error: ${path} is ${actual === null ? "missing" : "stale (the schema code changed)"}: run \`npm run docs\` and commit it`,
  );
  return 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
