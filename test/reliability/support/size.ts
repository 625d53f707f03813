/**
 * How big the reliability tests run: small in `npm test`, full in `npm run
 * verify`, which sets `RELIABILITY_SIZE=full` (and `RELIABILITY_REPORT`, for the report).
 */

/** The environment variable that sizes the reliability tests up. */
export const SIZE_VARIABLE = 'RELIABILITY_SIZE';

/** Whether this run is the full-size one of `npm run verify`. */
export const FULL_SIZE = process.env[SIZE_VARIABLE] === 'full';

/** Each size as `[npm test, npm run verify]`, side by side so that they are read together. */
const BOTH = {
  loadEvents: [100, 2_000],
  loadConcurrency: [8, 16],
  stormCopies: [30, 100],
  outageEvents: [5, 50],
  releaseFailures: [3, 10],
  deaths: [1, 3],
  eventsPerKey: [3, 10],
  coldConcurrency: [8, 16],
  hostileRunsPerProperty: [300, 2_500],
  endToEndEvents: [200, 20_000],
} as const satisfies Record<string, readonly [quick: number, full: number]>;

/** The sizes of one run: how many events, copies, deaths or cases, and at what concurrency. */
export type Sizes = { readonly [Size in keyof typeof BOTH]: number };

/** The sizes of this run. */
export const SIZES = Object.fromEntries(
  Object.entries(BOTH).map(([size, [quick, full]]) => [size, FULL_SIZE ? full : quick]),
) as Sizes;
