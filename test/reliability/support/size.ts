/**
 * How big the reliability tests run: small in `npm test`, full in `npm run
 * verify`, which sets `RELIABILITY_SIZE=full` (and `RELIABILITY_REPORT`, for the report).
 */

/** The environment variable that sizes the reliability tests up. */
export const SIZE_VARIABLE = 'RELIABILITY_SIZE';

/** Whether this run is the full-size one of `npm run verify`. */
export const FULL_SIZE = process.env[SIZE_VARIABLE] === 'full';

/** The sizes of `npm run verify`. */
const FULL = {
  loadEvents: 2_000,
  loadConcurrency: 16,
  stormCopies: 100,
  outageEvents: 50,
  releaseFailures: 10,
  deaths: 3,
  eventsPerKey: 10,
  coldConcurrency: 16,
  hostileRunsPerProperty: 2_500,
};

/** The sizes of one run: how many events, copies, deaths or cases, and at what concurrency. */
export type Sizes = { readonly [Size in keyof typeof FULL]: number };

/** The sizes of `npm test`. */
const QUICK: Sizes = {
  loadEvents: 100,
  loadConcurrency: 8,
  stormCopies: 30,
  outageEvents: 5,
  releaseFailures: 3,
  deaths: 1,
  eventsPerKey: 3,
  coldConcurrency: 8,
  hostileRunsPerProperty: 300,
};

/** The sizes of this run. */
export const SIZES: Sizes = FULL_SIZE ? FULL : QUICK;
