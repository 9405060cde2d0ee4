/**
 * `npm run bench`: posting throughput and impact-analysis latency on a scratch database of a real
 * PostgreSQL server, each as a ratio against raw SQL measured in the same run.
 *
 * Server: BENCH_DATABASE_URL, else DATABASE_URL (a user allowed to CREATE DATABASE). A database
 * netops_bench_<random> is created, migrated, used and dropped; nothing else is touched.
 * Knobs: BENCH_CLIENTS (default 8), BENCH_DOCS (documents per client, default 100),
 * BENCH_DEPTH (impact depth, default 5), BENCH_SAMPLES (impact roots, default 50).
 * Exit codes: 0 done, 1 failure, 2 no server URL.
 */
import { redactUrl } from "../src/db.js";
import { benchDemoData } from "./demo-data.js";
import { benchImpact, buildDemoGraph, demoGraphCases } from "./impact.js";
import { benchPosting } from "./posting.js";
import { createScratch } from "./scratch.js";

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

async function main(): Promise<number> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.error("bench needs a PostgreSQL server: set BENCH_DATABASE_URL (or DATABASE_URL)");
    return 2;
  }
  console.log(`bench server ${redactUrl(url)}`);
  const scratch = await createScratch(url);
  try {
    const clients = int("BENCH_CLIENTS", 8);
    const docsPerClient = int("BENCH_DOCS", 100);
    console.log("posting throughput (documents/s, higher is better):");
    await benchPosting(scratch.handle.db, scratch.url, { clients, docsPerClient });
    const depth = int("BENCH_DEPTH", 5);
    const samples = int("BENCH_SAMPLES", 50);
    // The demo data set first, so its counts and roots are its own.
    await benchDemoData(scratch, depth, samples);
    const graph = await buildDemoGraph(scratch.handle.db);
    console.log(
      `impact analysis latency (synthetic graph: ${graph.cis} CIs, ${graph.relationships} relationships):`,
    );
    await benchImpact(scratch.url, demoGraphCases(graph, samples), depth);
    return 0;
  } finally {
    await scratch.drop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
