/**
 * Shared settings of the property tests. The seed is fixed so CI runs the same cases every time;
 * set PROPERTY_SEED to explore others locally (a failure prints the seed and path to replay it).
 */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20261201);
