/** What the pipeline and its receiver process agree on (kept apart so that the child imports nothing else). */

/** Environment variable: the function timeout (ms) the receiver process's API Gateway stand-in enforces. */
export const FUNCTION_TIMEOUT_VARIABLE = 'RECEIVER_FUNCTION_TIMEOUT_MS';

/** The first stdout line of a receiver process once it listens. */
export interface ReadyLine {
  readonly ready: string;
}
