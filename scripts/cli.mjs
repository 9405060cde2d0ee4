/**
 * How the npm scripts start an operator CLI: `node scripts/cli.mjs src/cli.ts migrate` (package.json
 * `db:*`). It runs the plain-JS bundle of that entry that scripts/build-cli.mjs wrote to dist/ (`npm
 * run build`, run by `prepare` on `npm ci`/`npm install`), but only while every file the bundle was
 * built from is unchanged (same ctime and size as in dist/manifest.json); otherwise, or when there is
 * no build, it runs the TypeScript entry itself through tsx, as `node --import tsx <entry>` does. An
 * edited source is therefore never run as its old bundle: it runs from source until the next build.
 *
 * Why (issue 15): the tsx loader (esbuild transforms on a loader thread, one per module) costs more
 * than the migrations it starts; the bundle loads as one file plus the chunks a command needs. The
 * check stats each recorded file (about 360): 14 ms of CPU in a fresh process, 30 ms when each path
 * went through path.join (its normaliser, not yet compiled, cost more than the stat calls).
 *
 * Plain JavaScript with no dependency, so it runs before anything is built.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The bundle for `entry` when it is up to date, else undefined. */
function freshBundle(entry) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(ROOT, "dist", "manifest.json"), "utf8"));
  } catch {
    return undefined; // not built (a clone before npm ci, a build in progress): run the source
  }
  const bundle = manifest?.entries?.[entry];
  if (typeof bundle !== "string" || typeof manifest.files !== "object" || manifest.files === null) {
    return undefined;
  }
  const root = `${ROOT}/`; // the recorded paths are relative to the root (esbuild metafile inputs)
  for (const path in manifest.files) {
    const recorded = manifest.files[path];
    const now = statSync(root + path, { throwIfNoEntry: false });
    if (recorded === null ? now !== undefined : now?.ctimeMs !== recorded[0] || now?.size !== recorded[1]) {
      return undefined;
    }
  }
  return join(ROOT, bundle);
}

const entry = process.argv[2];
if (!entry) {
  console.error("usage: node scripts/cli.mjs <src/...cli.ts> [arguments]");
  process.exit(2);
}
// The CLI reads its arguments from argv[2] on, as when it is the script node was started with.
process.argv.splice(2, 1);
const bundle = freshBundle(entry);
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  await import("tsx");
  await import(pathToFileURL(join(ROOT, entry)).href);
}
