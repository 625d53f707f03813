/**
 * The adapter for Apideck's Webhook API (`https://unify.apideck.com`), on
 * `fetch`: the subscriptions and the event log. Every call carries
 * `Authorization: Bearer <API key>` and `x-apideck-app-id`. Rate limits and
 * server errors are retried with backoff; every other refusal is translated
 * into an {@link ApideckApiError} naming what Apideck said.
 */

import { isJsonObject } from '../domain/json-body.ts';
import type { EventLogSource } from './ports.ts';

/** How Apideck refused. */
export type ApideckRefusal =
  /** 401/403: wrong API key or application id. */
  | 'unauthorized'
  /** 402: the account is over its plan. */
  | 'payment-required'
  /** 429 after every retry. */
  | 'rate-limited'
  /** 5xx, a timeout or a network error after every retry. */
  | 'unavailable'
  /** Any other 4xx. */
  | 'refused'
  /** An answer this client cannot use (not JSON, no `data` array, no `meta.cursors.next`). */
  | 'malformed';

/** Apideck's API could not be used; the message says why (never the key). */
export class ApideckApiError extends Error {
  override readonly name = 'ApideckApiError';

  constructor(
    readonly refusal: ApideckRefusal,
    readonly status: number | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Options of {@link ApideckWebhookApi}. */
export interface ApideckWebhookApiOptions {
  readonly baseUrl: string;
  readonly appId: string;
  readonly apiKey: string;
  /** Attempts per request for 429, 5xx and network errors (default 4). */
  readonly maxAttempts?: number;
  /** Timeout per attempt (default 10 s). */
  readonly timeoutMs?: number;
  /** Longest wait between attempts, whatever `Retry-After` says (default 30 s). */
  readonly maxBackoffMs?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One page of a list answer. */
interface ListPage {
  readonly data: readonly unknown[];
  readonly next: string | null;
}

/** The event log's page size: the largest Apideck allows. */
const LOG_PAGE_LIMIT = 200;
/** A walk that never ends is a bug on one side or the other; stop it. */
const MAX_PAGES = 10_000;

function refusalOf(status: number): ApideckRefusal {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 402) return 'payment-required';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  return 'refused';
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Apideck's error bodies carry `message` and `detail`; neither ever holds the key. */
function describe(body: unknown): string {
  if (!isJsonObject(body)) return '';
  const message = typeof body.message === 'string' ? body.message : '';
  const typeName = typeof body.type_name === 'string' ? ` (${body.type_name})` : '';
  return `${message}${typeName}`.slice(0, 300);
}

/** The Webhook API. */
export class ApideckWebhookApi implements EventLogSource {
  readonly #options: Required<Omit<ApideckWebhookApiOptions, 'fetch' | 'sleep'>>;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: ApideckWebhookApiOptions) {
    this.#options = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      appId: options.appId,
      apiKey: options.apiKey,
      maxAttempts: options.maxAttempts ?? 4,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
    };
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Every subscription of the application (all pages). */
  async listWebhooks(): Promise<unknown[]> {
    const webhooks: unknown[] = [];
    for await (const page of this.#walk('/webhook/webhooks', new URLSearchParams())) {
      webhooks.push(...page);
    }
    return webhooks;
  }

  /** `POST /webhook/webhooks`; resolves to the new subscription as Apideck answered it. */
  async createWebhook(webhook: Readonly<Record<string, unknown>>): Promise<unknown> {
    const body = await this.#request('POST', '/webhook/webhooks', webhook);
    if (!isJsonObject(body) || !isJsonObject(body.data)) {
      throw new ApideckApiError('malformed', undefined, 'the create answer has no data object');
    }
    return body.data;
  }

  /** `PATCH /webhook/webhooks/{id}`; resolves to the subscription as Apideck answered it. */
  async updateWebhook(id: string, changes: Readonly<Record<string, unknown>>): Promise<unknown> {
    const body = await this.#request(
      'PATCH',
      `/webhook/webhooks/${encodeURIComponent(id)}`,
      changes,
    );
    if (!isJsonObject(body) || !isJsonObject(body.data)) {
      throw new ApideckApiError('malformed', undefined, 'the update answer has no data object');
    }
    return body.data;
  }

  /** The event log of a window, page by page (`filter[start_date]`, `filter[end_date]`). */
  pages(window: {
    readonly startDate: string;
    readonly endDate: string;
  }): AsyncIterable<readonly unknown[]> {
    const query = new URLSearchParams({
      'filter[start_date]': window.startDate,
      'filter[end_date]': window.endDate,
    });
    return this.#walk('/webhook/logs', query);
  }

  /** Follows `meta.cursors.next` until it is `null`: nothing else ends a walk. */
  async *#walk(path: string, query: URLSearchParams): AsyncGenerator<readonly unknown[]> {
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const params = new URLSearchParams(query);
      params.set('limit', String(LOG_PAGE_LIMIT));
      if (cursor !== null) params.set('cursor', cursor);
      const page = this.#listPage(await this.#request('GET', `${path}?${params}`));
      yield page.data;
      if (page.next === null) return;
      if (seen.has(page.next)) {
        throw new ApideckApiError('malformed', undefined, `${path}: the cursor repeats itself`);
      }
      seen.add(page.next);
      cursor = page.next;
    }
    throw new ApideckApiError('malformed', undefined, `${path}: more than ${MAX_PAGES} pages`);
  }

  #listPage(body: unknown): ListPage {
    if (!isJsonObject(body) || !Array.isArray(body.data)) {
      throw new ApideckApiError('malformed', undefined, 'the list answer has no data array');
    }
    const cursors =
      isJsonObject(body.meta) && isJsonObject(body.meta.cursors) ? body.meta.cursors : {};
    const next = cursors.next;
    if (next !== null && (typeof next !== 'string' || next === '')) {
      // Without a cursor and without null, whether the log is complete is unknown: refuse to guess.
      throw new ApideckApiError('malformed', undefined, 'the list answer has no meta.cursors.next');
    }
    return { data: body.data, next };
  }

  async #request(method: string, pathAndQuery: string, body?: unknown): Promise<unknown> {
    const { baseUrl, appId, apiKey, maxAttempts, timeoutMs, maxBackoffMs } = this.#options;
    let last: ApideckApiError | undefined;
    let retryAfter: number | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // Apideck's Retry-After when it gave one, else exponential: 0.5 s, 1 s, 2 s, ...
      if (attempt > 1)
        await this.#sleep(Math.min(maxBackoffMs, retryAfter ?? 500 * 2 ** (attempt - 2)));
      retryAfter = undefined;
      let response: Response;
      try {
        response = await this.#fetch(`${baseUrl}${pathAndQuery}`, {
          method,
          headers: {
            authorization: `Bearer ${apiKey}`,
            'x-apideck-app-id': appId,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        last = new ApideckApiError(
          'unavailable',
          undefined,
          `${method} ${pathAndQuery.split('?')[0]}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
        continue;
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch (cause) {
        json = undefined;
        if (response.ok) {
          throw new ApideckApiError('malformed', response.status, 'the answer is not JSON', {
            cause,
          });
        }
      }
      if (response.ok) return json;
      const refusal = refusalOf(response.status);
      last = new ApideckApiError(
        refusal,
        response.status,
        `${method} ${pathAndQuery.split('?')[0]} answered ${response.status} ${describe(json)}`.trim(),
      );
      retryAfter = retryAfterMs(response);
      if (refusal !== 'rate-limited' && refusal !== 'unavailable') throw last;
    }
    throw last ?? new ApideckApiError('unavailable', undefined, 'no attempt was made');
  }
}
