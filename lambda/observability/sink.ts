/**
 * Where log and metric lines go. In Lambda this is stdout written directly, not
 * `console.log`: with Lambda's JSON log format `console.log` would wrap each line
 * in a `message` field, and CloudWatch only reads EMF from top-level JSON.
 */
export type LineSink = (line: string) => void;

/** Writes one line to stdout. */
export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};
