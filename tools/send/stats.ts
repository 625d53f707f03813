/** The sender's summary line and per-request lines. */
import { percentile, type SendResult } from '../emulator/sender/send.ts';

export type { SendResult } from '../emulator/sender/send.ts';

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function formatCounts(counts: Map<string, number>): string {
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name}:${count}`)
    .join(' ');
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(1)} ms`;
}

/** What the summary reports. */
export interface Summary {
  readonly sent: number;
  readonly byStatus: Map<string, number>;
  readonly byOutcome: Map<string, number>;
  readonly networkErrors: number;
  readonly p50: number | undefined;
  readonly p99: number | undefined;
}

/** Counts and latency percentiles (of the requests that got an answer). */
export function summarize(results: readonly SendResult[]): Summary {
  const answered = results.filter((result) => result.ok);
  const latencies = answered.map((result) => result.latencyMs).sort((a, b) => a - b);
  return {
    sent: results.length,
    byStatus: countBy(answered, (result) => String(result.status)),
    byOutcome: countBy(answered, (result) => result.outcome ?? '?'),
    networkErrors: results.length - answered.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** `sent 50  200:49 409:1  (published:1 duplicate:48 in_progress:1)  p50 12.3 ms  p99 40.1 ms  in 0.4 s` */
export function formatSummary(summary: Summary, elapsedMs: number): string {
  const parts = [`sent ${summary.sent}`];
  if (summary.byStatus.size > 0) parts.push(formatCounts(summary.byStatus));
  if (summary.networkErrors > 0) parts.push(`network-error:${summary.networkErrors}`);
  if (summary.byOutcome.size > 0) parts.push(`(${formatCounts(summary.byOutcome)})`);
  parts.push(`p50 ${ms(summary.p50)}`, `p99 ${ms(summary.p99)}`);
  const seconds = elapsedMs / 1000;
  const rate =
    summary.sent > 1 && seconds > 0 ? `, ${(summary.sent / seconds).toFixed(0)} req/s` : '';
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
