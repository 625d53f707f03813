/**
 * What a scenario reports: rows of the reliability table, each with the checks
 * that decided its verdict, and the counting of the tap's deliveries by event id.
 */
import type { TapDelivery } from '../../../tools/emulator/index.ts';
import type { ScenarioRow } from '../../support/figures.ts';

export type { ScenarioRow } from '../../support/figures.ts';

/** The event id of a tap delivery: its `event_id` attribute, else the body's. */
export function deliveredEventId(delivery: TapDelivery): string | undefined {
  const attribute = delivery.attributes.event_id;
  if (attribute !== undefined) return attribute;
  const body = delivery.body as { event_id?: unknown } | null;
  return typeof body?.event_id === 'string' ? body.event_id : undefined;
}

/** Counts `deliveries` by event id against the events `expected` to arrive. */
export function countDeliveries(deliveries: readonly TapDelivery[], expected: Iterable<string>) {
  const wanted = new Set(expected);
  const seen = new Map<string, number>();
  for (const delivery of deliveries) {
    const id = deliveredEventId(delivery) ?? '(no event id)';
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  let delivered = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [id, count] of seen) {
    duplicated += count - 1;
    if (wanted.has(id)) delivered += 1;
    else unexpected += count;
  }
  return {
    /** Expected events delivered at least once. */
    delivered,
    /** Deliveries beyond the first, of any event. */
    duplicated,
    /** Expected events never delivered. */
    lost: wanted.size - delivered,
    /** Deliveries of events that were not expected at all. */
    unexpected,
    total: deliveries.length,
  };
}

/** Deliveries counted against the events that should (and should not) have arrived. */
export type DeliveryCount = ReturnType<typeof countDeliveries>;

/** The Delivered, Duplicated and Lost columns of a row, from a count. */
export function deliveryColumns(
  count: DeliveryCount,
): Pick<ScenarioRow, 'delivered' | 'duplicated' | 'lost'> {
  return {
    delivered: count.delivered,
    duplicated: count.duplicated + count.unexpected,
    lost: count.lost,
  };
}

/** Collects failed checks. */
export class Checks {
  readonly failures: string[] = [];

  /** Records `message` (with the actual value) unless `ok`. */
  expect(ok: boolean, message: string): void {
    if (!ok) this.failures.push(message);
  }

  /** `actual === expected`, or a failure naming both. */
  equal(what: string, actual: unknown, expected: unknown): void {
    this.expect(
      Object.is(actual, expected),
      `${what}: expected ${String(expected)}, got ${String(actual)}`,
    );
  }

  /** `expected` answers `key` (`"200 published"`) among `answers`; `when` completes the message. */
  answered(
    answers: Readonly<Record<string, number>>,
    key: string,
    expected: number,
    when = '',
  ): void {
    const actual = answers[key] ?? 0;
    this.expect(
      actual === expected,
      `${key} answers${when && ` ${when}`}: expected ${expected}, got ${actual} (all answers: ${JSON.stringify(answers)})`,
    );
  }

  /** No answer among `answers` is a 5xx; `what` names them in the failure. */
  noServerErrors(answers: Readonly<Record<string, number>>, what = '5xx answers'): void {
    this.equal(what, answersStartingWith(answers, '5'), 0);
  }

  /** Each of `events` expected events delivered exactly once, and nothing else delivered. */
  deliveredOnce(count: DeliveryCount, events: number): void {
    this.equal('events delivered', count.delivered, events);
    this.equal('duplicate deliveries', count.duplicated, 0);
    this.equal('lost events', count.lost, 0);
    this.equal('deliveries of unknown events', count.unexpected, 0);
  }
}

/** The sum of counts whose key starts with `prefix` (e.g. `"5"` for every 5xx answer). */
export function answersStartingWith(
  answers: Readonly<Record<string, number>>,
  prefix: string,
): number {
  return Object.entries(answers)
    .filter(([key]) => key.startsWith(prefix))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Formats a count with thousands separators. */
export function n(count: number): string {
  return count.toLocaleString('en-US');
}

/** The handler's request log lines (JSON), parsed; other lines (EMF, cut short) are skipped. */
export function requestLogs(lines: readonly string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    if (!line.startsWith('{') || !line.includes('"webhook delivery"')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** `unavailable` outcomes in the handler's log, by `<dependency>: <error message>`. */
export function unavailableCauses(lines: readonly string[]): Record<string, number> {
  const causes: Record<string, number> = {};
  for (const log of requestLogs(lines)) {
    if (log.outcome !== 'unavailable') continue;
    const error = log.error as { message?: unknown } | undefined;
    const key = `${String(log.dependency)}: ${String(error?.message)}`;
    causes[key] = (causes[key] ?? 0) + 1;
  }
  return causes;
}

/** {@link unavailableCauses} for a report: `3x SNS: …; 1x DynamoDB: …` (empty when none). */
export function unavailableCausesText(lines: readonly string[]): string {
  return Object.entries(unavailableCauses(lines))
    .map(([cause, times]) => `${times}x ${cause}`)
    .join('; ');
}
