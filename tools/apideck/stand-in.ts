/**
 * The Apideck side of a webhook integration, in memory: subscriptions, the
 * signed URL-validation POST, delivery with Apideck's headers and signature,
 * the retry schedule on an injectable clock, disabling at the retry limit, and
 * the event log. `server.ts` puts the Webhook API in front of it.
 */
import { randomUUID } from 'node:crypto';
import { UnifiedApiId } from '@apideck/unify/models/components/unifiedapiid.js';
import { SIGNATURE_HEADER } from '../../lambda/contract/http.ts';
import { isJsonObject } from '../../lambda/domain/json-body.ts';
import type { Clock } from './clock.ts';
import type {
  DeliveryAttemptRecord,
  DisabledReason,
  Webhook,
  WebhookEventLog,
  WebhookStatus,
} from './model.ts';
import { ATTEMPT_TIMEOUT_MS, DELIVERY_TIME_TO_LIVE_MS, nextAttemptAt } from './retry-schedule.ts';
import { apideckSignature } from './signing.ts';

/** The event type and body of Apideck's URL-validation POST (WEBHOOKS.md). */
export const VALIDATION_EVENT_TYPE = 'apideck.subscription.created';
export const VALIDATION_BODY = { message: 'Validating delivery URL' } as const;

/** How the stand-in writes its event log; the spec allows both readings. */
export interface EventLogStyle {
  /**
   * `per-attempt`: one entry per HTTP attempt; `per-event`: one entry per event
   * and subscription, updated on every attempt, with `attempts[]`.
   */
  readonly entries: 'per-attempt' | 'per-event';
  /** `envelope`: `request_body` is the body sent (`{"payload":...}`); `payload`: the bare payload. */
  readonly requestBody: 'envelope' | 'payload';
  /** Order of `GET /webhook/logs`: newest first, or an order unrelated to time (by entry id). */
  readonly order: 'newest-first' | 'unordered';
}

/** Options of {@link ApideckStandIn}. */
export interface ApideckStandInOptions {
  readonly applicationId: string;
  /** The API key: authenticates the API and signs every delivery. */
  readonly apiKey: string;
  readonly clock: Clock;
  readonly logStyle?: Partial<EventLogStyle>;
  /** Apideck's delivery time-to-live (default 24 h). */
  readonly timeToLiveMs?: number;
}

/** What a subscription is created with (`CreateWebhookRequest`). */
export interface CreateWebhookInput {
  readonly description?: string;
  readonly unified_api: string;
  readonly status: WebhookStatus;
  readonly delivery_url: string;
  readonly events: readonly string[];
}

/** What a subscription is updated with (`UpdateWebhookRequest`). */
export type UpdateWebhookInput = Partial<Omit<CreateWebhookInput, 'unified_api'>>;

/** One HTTP attempt the stand-in made, for tests and the dev loop's printout. */
export interface DeliveryAttempt {
  readonly webhookId: string;
  readonly eventType: string;
  readonly eventId: string | undefined;
  readonly executionAttempt: number;
  /** The answer's status, or 0 when there was none (connection refused, reset, timeout). */
  readonly statusCode: number;
  readonly success: boolean;
  readonly atMs: number;
  /** When the next attempt is due, if one is scheduled. */
  readonly retryAtMs: number | undefined;
}

interface Subscription {
  webhook: Webhook;
  /** Bumped on disable, URL change and delete: a retry scheduled under an older generation is dropped. */
  generation: number;
}

interface Delivery {
  readonly subscriptionId: string;
  readonly generation: number;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly eventType: string;
  readonly eventId: string;
  readonly idempotencyKey: string;
  readonly firstAttemptAtMs: number;
  logEntryId: string | undefined;
}

/** What one POST came to. */
interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly success: boolean;
  readonly atMs: number;
}

const DEFAULT_LOG_STYLE: EventLogStyle = {
  entries: 'per-attempt',
  requestBody: 'envelope',
  order: 'newest-first',
};

/** Response bodies are kept short in the log, as a log would. */
const MAX_LOGGED_RESPONSE_CHARS = 2_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function field(source: unknown, key: string): string | undefined {
  const value = isJsonObject(source) ? source[key] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The unified APIs of `UnifiedApiId`, from Apideck's SDK. */
const UNIFIED_APIS: ReadonlySet<string> = new Set(Object.values(UnifiedApiId));

/** The unified API an event type belongs to (`vault.connection.created` -> `vault`). */
function unifiedApiOf(eventType: string): string | undefined {
  const api = eventType.split('.')[0] ?? '';
  return UNIFIED_APIS.has(api) ? api : undefined;
}

/** The in-memory Apideck. */
export class ApideckStandIn {
  readonly applicationId: string;
  readonly #clock: Clock;
  readonly #logStyle: EventLogStyle;
  readonly #timeToLiveMs: number;
  #apiKey: string;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #log: WebhookEventLog[] = [];
  readonly #attempts: DeliveryAttempt[] = [];
  readonly #listeners: Array<(attempt: DeliveryAttempt) => void> = [];

  constructor(options: ApideckStandInOptions) {
    this.applicationId = options.applicationId;
    this.#apiKey = options.apiKey;
    this.#clock = options.clock;
    this.#logStyle = { ...DEFAULT_LOG_STYLE, ...options.logStyle };
    this.#timeToLiveMs = options.timeToLiveMs ?? DELIVERY_TIME_TO_LIVE_MS;
  }

  /** The current API key (it authenticates the API and signs deliveries). */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** Rotates the API key in Apideck: later deliveries are signed, and the API authenticated, with it. */
  rotateApiKey(apiKey: string): void {
    this.#apiKey = apiKey;
  }

  /** Every HTTP attempt so far (validation POSTs included), oldest first. */
  get attempts(): readonly DeliveryAttempt[] {
    return this.#attempts;
  }

  /** Calls `listener` after every attempt. */
  onAttempt(listener: (attempt: DeliveryAttempt) => void): void {
    this.#listeners.push(listener);
  }

  /** The subscriptions, oldest first. */
  listWebhooks(): Webhook[] {
    return [...this.#subscriptions.values()].map((s) => s.webhook);
  }

  getWebhook(id: string): Webhook | undefined {
    return this.#subscriptions.get(id)?.webhook;
  }

  /** Creates a subscription; the signed validation POST decides its `status` and `disabled_reason`. */
  async createWebhook(input: CreateWebhookInput): Promise<Webhook> {
    const id = randomUUID();
    const nowIso = iso(this.#clock.now());
    const subscription: Subscription = {
      generation: 0,
      webhook: {
        id,
        ...(input.description === undefined ? {} : { description: input.description }),
        unified_api: input.unified_api,
        status: input.status,
        disabled_reason: 'none',
        delivery_url: input.delivery_url,
        execute_base_url: `https://unify.apideck.com/webhook/webhooks/${id}/execute`,
        events: [...input.events],
        created_at: nowIso,
        updated_at: nowIso,
      },
    };
    this.#subscriptions.set(id, subscription);
    await this.#validate(subscription, input.status);
    return subscription.webhook;
  }

  /**
   * Updates a subscription. A new URL, or enabling a disabled one, sends the
   * validation POST first; a failed validation leaves it disabled with
   * `delivery_url_validation_failed`.
   */
  async updateWebhook(id: string, input: UpdateWebhookInput): Promise<Webhook | undefined> {
    const subscription = this.#subscriptions.get(id);
    if (subscription === undefined) return undefined;
    const before = subscription.webhook;
    const urlChanged =
      input.delivery_url !== undefined && input.delivery_url !== before.delivery_url;
    const enabling = input.status === 'enabled' && before.status !== 'enabled';
    const status = input.status ?? before.status;
    this.#replace(subscription, {
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.delivery_url === undefined ? {} : { delivery_url: input.delivery_url }),
      ...(input.events === undefined ? {} : { events: [...input.events] }),
      status,
      disabled_reason: status === 'enabled' ? 'none' : before.disabled_reason,
    });
    if (urlChanged) subscription.generation++;
    if (urlChanged || enabling) await this.#validate(subscription, status);
    return subscription.webhook;
  }

  deleteWebhook(id: string): Webhook | undefined {
    const subscription = this.#subscriptions.get(id);
    if (subscription === undefined) return undefined;
    subscription.generation++;
    this.#subscriptions.delete(id);
    return subscription.webhook;
  }

  /**
   * An event occurs: each enabled subscription to its type and unified API gets
   * a first attempt now (awaited), and retries on the clock if it fails.
   * A disabled subscription gets nothing, and nothing is logged for it.
   */
  async emit(payload: Readonly<Record<string, unknown>>): Promise<DeliveryAttempt[]> {
    const eventType = field(payload, 'event_type');
    const eventId = field(payload, 'event_id');
    if (eventType === undefined || eventId === undefined) {
      throw new TypeError('emit: the payload needs an event_type and an event_id');
    }
    const api = unifiedApiOf(eventType);
    const targets = [...this.#subscriptions.values()].filter(
      ({ webhook }) =>
        webhook.status === 'enabled' &&
        webhook.unified_api === api &&
        (webhook.events.includes('*') || webhook.events.includes(eventType)),
    );
    const results: DeliveryAttempt[] = [];
    for (const subscription of targets) {
      const delivery: Delivery = {
        subscriptionId: subscription.webhook.id,
        generation: subscription.generation,
        payload,
        eventType,
        eventId,
        idempotencyKey: randomUUID(),
        firstAttemptAtMs: this.#clock.now(),
        logEntryId: undefined,
      };
      results.push(await this.#attempt(delivery, 1));
    }
    return results;
  }

  /** The event log, in the configured order. */
  eventLog(): WebhookEventLog[] {
    const entries = [...this.#log];
    if (this.#logStyle.order === 'unordered') {
      return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return entries.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  }

  /** Disables a subscription as Apideck does on its own; its pending retries are dropped. */
  #disable(subscription: Subscription, reason: DisabledReason): void {
    subscription.generation++;
    this.#replace(subscription, { status: 'disabled', disabled_reason: reason });
  }

  #replace(subscription: Subscription, changes: Partial<Webhook>): void {
    subscription.webhook = {
      ...subscription.webhook,
      ...changes,
      updated_at: iso(this.#clock.now()),
    };
  }

  async #validate(subscription: Subscription, requested: WebhookStatus): Promise<void> {
    const url = subscription.webhook.delivery_url;
    const answer = await this.#post(url, VALIDATION_BODY, {
      'x-apideck-event-type': VALIDATION_EVENT_TYPE,
    });
    this.#log.push({
      id: randomUUID(),
      ...this.#entryOf(url, VALIDATION_EVENT_TYPE, 1, answer, false),
      request_body: JSON.stringify(VALIDATION_BODY),
      attempts: [attemptRecord(1, answer)],
    });
    this.#record(subscription.webhook.id, VALIDATION_EVENT_TYPE, undefined, 1, answer, undefined);
    if (answer.success) {
      this.#replace(subscription, { status: requested, disabled_reason: 'none' });
    } else {
      this.#disable(subscription, 'delivery_url_validation_failed');
    }
  }

  async #attempt(delivery: Delivery, attempt: number): Promise<DeliveryAttempt> {
    const subscription = this.#subscriptions.get(delivery.subscriptionId);
    if (subscription === undefined) throw new Error('attempt: the subscription is gone');
    const payload = { ...delivery.payload, execution_attempt: attempt };
    const answer = await this.#post(
      subscription.webhook.delivery_url,
      { payload },
      {
        'x-apideck-event-type': delivery.eventType,
        'x-apideck-idempotency-key': delivery.idempotencyKey,
      },
    );
    const retryAtMs = answer.success
      ? undefined
      : nextAttemptAt(delivery.firstAttemptAtMs, attempt, answer.atMs, this.#timeToLiveMs);
    this.#writeLog(delivery, subscription.webhook, payload, attempt, answer, retryAtMs);
    const result = this.#record(
      subscription.webhook.id,
      delivery.eventType,
      delivery.eventId,
      attempt,
      answer,
      retryAtMs,
    );
    if (answer.success) return result;
    if (retryAtMs === undefined) {
      this.#disable(subscription, 'retry_limit');
      return result;
    }
    this.#clock.schedule(retryAtMs, async () => {
      const current = this.#subscriptions.get(delivery.subscriptionId);
      if (
        current === undefined ||
        current.generation !== delivery.generation ||
        current.webhook.status !== 'enabled'
      ) {
        // The retry will not happen after all: its last log entry stops promising one.
        const i = this.#log.findIndex((entry) => entry.id === delivery.logEntryId);
        const entry = this.#log[i];
        if (entry !== undefined) this.#log[i] = { ...entry, retry_scheduled: false };
        return;
      }
      await this.#attempt(delivery, attempt + 1);
    });
    return result;
  }

  /** The fields of a log entry that the validation POST and a delivery share. */
  #entryOf(
    endpoint: string,
    eventType: string,
    attempt: number,
    answer: Answer,
    retryScheduled: boolean,
  ): Omit<WebhookEventLog, 'id' | 'request_body' | 'attempts'> {
    return {
      status_code: answer.statusCode,
      success: answer.success,
      application_id: this.applicationId,
      endpoint,
      event_type: eventType,
      execution_attempt: attempt,
      http_method: 'POST',
      timestamp: iso(answer.atMs),
      response_body: answer.body.slice(0, MAX_LOGGED_RESPONSE_CHARS),
      retry_scheduled: retryScheduled,
    };
  }

  #writeLog(
    delivery: Delivery,
    webhook: Webhook,
    payload: Record<string, unknown>,
    attempt: number,
    answer: Answer,
    retryAtMs: number | undefined,
  ): void {
    const facts = delivery.eventType.startsWith('vault.') ? payload.entity : payload;
    const serviceId = field(facts, 'service_id');
    const api = unifiedApiOf(delivery.eventType);
    const consumerId = field(facts, 'consumer_id') ?? field(payload, 'consumer_id');
    const entityType = field(payload, 'entity_type');
    const previous =
      this.#logStyle.entries === 'per-event' && delivery.logEntryId !== undefined
        ? this.#log.findIndex((entry) => entry.id === delivery.logEntryId)
        : -1;
    const record = attemptRecord(attempt, answer);
    const entry: WebhookEventLog = {
      id: previous >= 0 ? (delivery.logEntryId as string) : randomUUID(),
      ...this.#entryOf(
        webhook.delivery_url,
        delivery.eventType,
        attempt,
        answer,
        retryAtMs !== undefined,
      ),
      ...(consumerId === undefined ? {} : { consumer_id: consumerId }),
      ...(api === undefined ? {} : { unified_api: api }),
      ...(serviceId === undefined
        ? {}
        : { service: { id: serviceId, name: field(facts, 'name') ?? serviceId } }),
      ...(entityType === undefined ? {} : { entity_type: entityType }),
      request_body: JSON.stringify(
        this.#logStyle.requestBody === 'envelope' ? { payload } : payload,
      ),
      attempts: previous >= 0 ? [...(this.#log[previous]?.attempts ?? []), record] : [record],
    };
    if (previous >= 0) this.#log[previous] = entry;
    else this.#log.push(entry);
    delivery.logEntryId = entry.id;
  }

  #record(
    webhookId: string,
    eventType: string,
    eventId: string | undefined,
    executionAttempt: number,
    answer: Answer,
    retryAtMs: number | undefined,
  ): DeliveryAttempt {
    const { statusCode, success, atMs } = answer;
    const attempt = {
      webhookId,
      eventType,
      eventId,
      executionAttempt,
      statusCode,
      success,
      atMs,
      retryAtMs,
    };
    this.#attempts.push(attempt);
    for (const listener of [...this.#listeners]) listener(attempt);
    return attempt;
  }

  /** POSTs `body` signed as Apideck signs it; a connection refused, reset or timed out answers 0. */
  async #post(url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
    let statusCode: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'apideck-stand-in',
          [SIGNATURE_HEADER]: apideckSignature(body, this.#apiKey),
          ...headers,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        redirect: 'manual',
      });
      statusCode = response.status;
      text = await response.text();
    } catch (error) {
      statusCode = 0;
      text = error instanceof Error ? `${error.name}: ${error.message}` : '';
    }
    const success = statusCode >= 200 && statusCode < 300;
    return { statusCode, body: text, success, atMs: this.#clock.now() };
  }
}

function attemptRecord(attempt: number, answer: Answer): DeliveryAttemptRecord {
  return {
    timestamp: iso(answer.atMs),
    execution_attempt: attempt,
    status_code: answer.statusCode,
    success: answer.success,
  };
}
