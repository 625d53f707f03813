/**
 * `GET /webhook/logs`: the filter of `WebhookEventLogsFilter` and the cursor
 * pagination every Apideck list uses (`cursor`, `limit` 1..200, the next cursor
 * in `meta.cursors.next`, `null` on the last page).
 */
import { isJsonObject, parseJsonBody } from '../../lambda/domain/json-body.ts';
import type { WebhookEventLog, WebhookEventLogsFilter } from './model.ts';

/** `limit`'s default (`components.parameters.limit`; the spec bounds it to 1..200). */
export const DEFAULT_PAGE_LIMIT = 20;

/** A cursor the stand-in did not issue, or one for another filter. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** The event id in `request_body`: the envelope's payload, or the bare payload. */
function eventIdOf(entry: WebhookEventLog): string | undefined {
  const parsed = parseJsonBody(entry.request_body);
  const body = parsed.ok && isJsonObject(parsed.value) ? parsed.value : {};
  const payload = isJsonObject(body.payload) ? body.payload : body;
  return typeof payload.event_id === 'string' ? payload.event_id : undefined;
}

/** Whether an entry passes every given filter field (`null` and absent fields match all). */
export function matchesFilter(entry: WebhookEventLog, filter: WebhookEventLogsFilter): boolean {
  const atMs = Date.parse(entry.timestamp);
  const excluded = (filter.exclude_apis ?? '')
    .split(',')
    .map((api) => api.trim())
    .filter((api) => api.length > 0);
  const checks: boolean[] = [
    excluded.length === 0 ||
      entry.unified_api === undefined ||
      !excluded.includes(entry.unified_api),
    filter.service?.id == null || entry.service?.id === filter.service.id,
    filter.consumer_id == null || entry.consumer_id === filter.consumer_id,
    filter.entity_type == null || entry.entity_type === filter.entity_type,
    filter.event_type == null || entry.event_type === filter.event_type,
    filter.start_date == null || atMs >= Date.parse(filter.start_date),
    filter.end_date == null || atMs <= Date.parse(filter.end_date),
    filter.success == null || entry.success === filter.success,
    filter.status_code == null || entry.status_code === filter.status_code,
    filter.status_codes == null ||
      filter.status_codes.length === 0 ||
      filter.status_codes.includes(entry.status_code),
    filter.event_id == null || eventIdOf(entry) === filter.event_id,
    filter.execution_attempt == null || entry.execution_attempt === filter.execution_attempt,
  ];
  return checks.every(Boolean);
}

interface CursorState {
  readonly offset: number;
  readonly filter: string;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, filterKey: string): number {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidCursorError('the cursor is not one this API issued', { cause });
  }
  const { offset, filter } = (state ?? {}) as Partial<CursorState>;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  if (filter !== filterKey) throw new InvalidCursorError('the cursor belongs to another filter');
  return offset;
}

/** One page of a list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly current: string | null;
  readonly next: string | null;
  readonly previous: string | null;
}

/**
 * Slices a list into the page a cursor points at. The cursor is an offset into
 * the list as it is when the next page is asked for: entries logged meanwhile
 * can repeat an entry across pages (never skip one), as with any offset cursor.
 */
export function paginate<T>(
  items: readonly T[],
  cursor: string | undefined,
  limit: number,
  filterKey: string,
): Page<T> {
  const offset = cursor === undefined || cursor === '' ? 0 : decodeCursor(cursor, filterKey);
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    current: offset === 0 ? null : encodeCursor({ offset, filter: filterKey }),
    next: end < items.length ? encodeCursor({ offset: end, filter: filterKey }) : null,
    previous:
      offset === 0
        ? null
        : encodeCursor({ offset: Math.max(0, offset - limit), filter: filterKey }),
  };
}
