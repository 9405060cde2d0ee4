/**
 * `npm run build`, also run by `prepare` (so by every `npm ci` and `npm install`): bundles the
 * operator CLIs (src/cli.ts behind `npm run db:*`, src/import/cli.ts behind `db:import`) into plain
 * ESM under dist/ with esbuild, so scripts/cli.mjs starts them without the tsx loader (issue 15:
 * start-up of `npm run db:migrate`). Plain JavaScript, run by node alone: it must work before anything
 * else is built.
 *
 * Code splitting keeps the CLI's lazy imports lazy (db:migrate loads neither the seed commands nor the
 * schema modules). Dependencies are bundled too (one file instead of drizzle-orm's hundred modules),
 * except the two that load .wasm/.data files from beside their own modules.
 *
 * dist/manifest.json records every file the bundle was built from (esbuild's metafile inputs: the
 * sources under src/ and seed/, the bundled node_modules files) and what else decides the output
 * (package.json, tsconfig.json, node_modules/.package-lock.json, this script), each with its ctime and
 * size. scripts/cli.mjs runs the bundle only while all of them are unchanged; ctime is set by the
 * kernel on any write, so even a file restored with its old mtime counts as changed.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = "dist";
/** Source entry (as the npm scripts name it) -> bundle, both relative to the package root. */
const ENTRIES = ["src/cli.ts", "src/import/cli.ts"];
/** Loaded at run time from node_modules: they read their .wasm/.data files relative to themselves. */
const EXTERNAL = ["@electric-sql/pglite", "libpg-query"];
/** Not esbuild inputs, but they decide the output (dependency versions, compiler options, this build). */
const ALSO_TRACKED = [
  "package.json",
  "tsconfig.json",
  "node_modules/.package-lock.json",
  "scripts/build-cli.mjs",
];

/** [ctimeMs, size] of a file, null when it does not exist. scripts/cli.mjs compares the same pair. */
function stamp(path) {
  const s = statSync(join(ROOT, path), { throwIfNoEntry: false });
  return s ? [s.ctimeMs, s.size] : null;
}

// A devDependency: without it (`npm ci --omit=dev`) there is no bundle, and scripts/cli.mjs runs
// the sources through tsx, itself a devDependency, as before the bundle existed.
let build;
try {
  ({ build } = await import("esbuild"));
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.warn("build-cli: esbuild is not installed; no bundle built, the db:* commands run from source");
  process.exit(0);
}

const tmp = `${OUT}.tmp-${process.pid}`;
rmSync(join(ROOT, tmp), { recursive: true, force: true });
mkdirSync(join(ROOT, tmp));
// The build's start on the file system's own clock (coarser than Date.now(), and what ctimes use).
const started = statSync(join(ROOT, tmp)).ctimeMs;
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ENTRIES,
  outdir: tmp,
  outbase: "src",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external: EXTERNAL,
  metafile: true,
  logLevel: "warning",
});

const entries = {};
for (const [output, info] of Object.entries(result.metafile.outputs)) {
  if (info.entryPoint && ENTRIES.includes(info.entryPoint))
    entries[info.entryPoint] = join(OUT, relative(tmp, output));
}
const missing = ENTRIES.filter((e) => !entries[e]);
if (missing.length > 0) throw new Error(`build-cli: esbuild wrote no bundle for ${missing.join(", ")}`);

const files = {};
for (const path of [...Object.keys(result.metafile.inputs), ...ALSO_TRACKED].sort())
  files[path] = stamp(path);
// A file written while esbuild ran may have been read before the write: its bundle would be stale
// under a fresh stamp. Refuse rather than record it.
const changed = Object.entries(files).filter(([, s]) => s !== null && s[0] >= started);
if (changed.length > 0) {
  rmSync(join(ROOT, tmp), { recursive: true, force: true });
  throw new Error(
    `build-cli: ${changed.map(([p]) => p).join(", ")} changed during the build; run npm run build again`,
  );
}
writeFileSync(
  join(ROOT, tmp, "manifest.json"),
  `${JSON.stringify({ built: new Date(started).toISOString(), entries, files }, null, 1)}\n`,
);
// Replace the previous build in one step (a run starting in between finds no manifest and uses tsx).
rmSync(join(ROOT, OUT), { recursive: true, force: true });
renameSync(join(ROOT, tmp), join(ROOT, OUT));
console.log(
  `built ${Object.values(entries).join(", ")} from ${Object.keys(result.metafile.inputs).length} files in ${Math.round(Date.now() - started)} ms`,
);
