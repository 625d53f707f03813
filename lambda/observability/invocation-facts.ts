/**
 * What Lambda's REPORT line tells about an invocation, read by the function
 * itself for its request log line: the platform's own lines are off (JSON log
 * format, system log level WARN), which saves their bytes on every delivery.
 */

/** Lambda's per-invocation X-Ray header: `Root=1-…;Parent=…;Sampled=1`. */
export const TRACE_HEADER_VARIABLE = '_X_AMZN_TRACE_ID';

/**
 * The trace id of a sampled invocation (`1-5f84c7a9-…`), or `undefined` when
 * it was not sampled or there is no header: only a sampled request has a trace
 * to open, so only it is worth the bytes.
 */
export function sampledTraceId(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  let root: string | undefined;
  let sampled = false;
  for (const part of header.split(';')) {
    const [name, value] = part.split('=', 2);
    if (name?.trim() === 'Root') root = value?.trim();
    else if (name?.trim() === 'Sampled') sampled = value?.trim() === '1';
  }
  return sampled && root ? root : undefined;
}

/** The process's peak resident memory so far, in whole MB (rounded up, as Lambda reports it). */
export function maxMemoryMb(): number {
  return Math.ceil(process.resourceUsage().maxRSS / 1024);
}
