/** The sender's summary line and per-request lines. */
import { percentile, type SendResult } from '../emulator/sender/send.ts';

/** `200:49 409:1`: how many of `items` have each key, keys in order. */
function counts<T>(items: readonly T[], key: (item: T) => string): string {
  const byKey = new Map<string, number>();
  for (const item of items) byKey.set(key(item), (byKey.get(key(item)) ?? 0) + 1);
  return [...byKey]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name}:${count}`)
    .join(' ');
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(1)} ms`;
}

/**
 * `sent 50  200:49 409:1  (published:1 duplicate:48 in_progress:1)  p50 12.3 ms  p99 40.1 ms  in 0.4 s`:
 * counts, and latency percentiles of the requests that got an answer.
 */
export function formatSummary(results: readonly SendResult[], elapsedMs: number): string {
  const answered = results.flatMap((result) => (result.ok ? [result] : []));
  const latencies = answered.map((result) => result.latencyMs).sort((a, b) => a - b);
  const networkErrors = results.length - answered.length;
  const parts = [`sent ${results.length}`];
  if (answered.length > 0) parts.push(counts(answered, (result) => String(result.status)));
  if (networkErrors > 0) parts.push(`network-error:${networkErrors}`);
  if (answered.length > 0) parts.push(`(${counts(answered, (result) => result.outcome ?? '?')})`);
  parts.push(`p50 ${ms(percentile(latencies, 50))}`, `p99 ${ms(percentile(latencies, 99))}`);
  const seconds = elapsedMs / 1000;
  const rate =
    results.length > 1 && seconds > 0 ? `, ${(results.length / seconds).toFixed(0)} req/s` : '';
  parts.push(`in ${seconds.toFixed(2)} s${rate}`);
  return parts.join('  ');
}

/** One request's line: `#3    200 published  <event_id>  12.3 ms`. */
export function formatResult(result: SendResult, indexWidth: number): string {
  const index = `#${result.index}`.padEnd(indexWidth + 1);
  const id = result.eventId ?? '-';
  if (!result.ok) return `${index}  ERR ${result.error}  ${id}  ${ms(result.latencyMs)}`;
  return `${index}  ${result.status} ${result.outcome ?? '?'}  ${id}  ${ms(result.latencyMs)}`;
}
