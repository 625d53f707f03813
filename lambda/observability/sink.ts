/**
 * Where log and metric lines go. In Lambda this is stdout written directly, not
 * `console.log`: with Lambda's JSON log format `console.log` would wrap each line
 * in a `message` field, and CloudWatch only reads EMF from top-level JSON.
 *
 * Each call carries one or more whole lines, joined by `\n` (without a final
 * one), written together: a request's log line and EMF document cost one write.
 */
export type LineSink = (lines: string) => void;

/** Writes the lines to stdout, each ending in a newline, in one write. */
export const stdoutSink: LineSink = (lines) => {
  process.stdout.write(`${lines}\n`);
};
