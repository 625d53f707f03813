/**
 * The Webhook API of the stand-in over HTTP, as `openapi/webhook.yml` defines
 * it: `/webhook/webhooks` (list, create, get, update, delete) and
 * `/webhook/logs`, authenticated by `Authorization: Bearer <API key>` and
 * `x-apideck-app-id`. Requests are routed and validated with the
 * specification itself; an invalid one gets Apideck's 400.
 */
import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import type { OpenAPIBackend, ParsedRequest, Request as SpecRequest } from 'openapi-backend';
import { parseJsonBody } from '../../lambda/domain/json-body.ts';
import {
  DEFAULT_PAGE_LIMIT,
  InvalidCursorError,
  matchesFilter,
  type Page,
  paginate,
} from './log-query.ts';
import type { Webhook, WebhookEventLogsFilter } from './model.ts';
import { loadWebhookApiSpec } from './spec.ts';
import type { ApideckStandIn, CreateWebhookInput, UpdateWebhookInput } from './stand-in.ts';

/** A refusal the server answers instead of the next requests (402, 429, 5xx...). */
export interface ForcedRefusal {
  readonly statusCode: number;
  /** How many requests it applies to. */
  readonly times: number;
}

/** A listening Webhook API. */
export interface ApideckApiServer {
  /** `http://127.0.0.1:<port>`: the `APIDECK_API_URL` of a client. */
  readonly url: string;
  /** Answers the next `times` API requests with `statusCode` (Apideck's error body). */
  refuse(refusal: ForcedRefusal): void;
  /** Requests answered so far, by `<operationId> <status>`. */
  readonly answered: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** Options of {@link startApideckApi}. */
export interface ApideckApiOptions {
  readonly standIn: ApideckStandIn;
  /** 0 (default) picks a free port on the loopback interface. */
  readonly port?: number;
}

interface Answer {
  readonly statusCode: number;
  readonly body: unknown;
}

const REASONS: Readonly<Record<number, [error: string, typeName: string, message: string]>> = {
  400: ['Bad Request', 'RequestValidationError', 'Invalid Params'],
  401: ['Unauthorized', 'UnauthorizedError', 'Unauthorized Request'],
  402: ['Payment Required', 'RequestLimitError', 'Request Limit Reached'],
  404: ['Not Found', 'EntityNotFoundError', 'Unknown Widget'],
  429: ['Too Many Requests', 'RateLimitError', 'Rate limit reached'],
  501: ['Not Implemented', 'NotImplementedError', 'Not Implemented'],
};

/** Apideck's error body (`BadRequestResponse`, `UnauthorizedResponse`, ... share its fields). */
function errorAnswer(statusCode: number, detail?: string | object): Answer {
  const [error, typeName, message] = REASONS[statusCode] ?? [
    'Internal Server Error',
    'UnexpectedError',
    'Unexpected error',
  ];
  return {
    statusCode,
    body: {
      status_code: statusCode,
      error,
      type_name: typeName,
      message,
      ...(detail === undefined ? {} : { detail }),
      ref: `https://developers.apideck.com/errors#${typeName.toLowerCase()}`,
    },
  };
}

function ok(body: Record<string, unknown>, statusCode = 200): Answer {
  return {
    statusCode,
    body: { status_code: statusCode, status: statusCode === 201 ? 'Created' : 'OK', ...body },
  };
}

/** The subscription, or Apideck's 404 when there is none by that id. */
function found(webhook: Webhook | undefined): Answer {
  return webhook === undefined ? errorAnswer(404) : ok({ data: webhook });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return Number(value);
}

/** The deep-object filter (`filter[start_date]=...`) as qs parsed it, typed as the schema says. */
function parseFilter(raw: unknown): WebhookEventLogsFilter {
  if (typeof raw !== 'object' || raw === null) return {};
  const f = raw as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof f[key] === 'string' && f[key] !== '' ? (f[key] as string) : undefined;
  const codes = f.status_codes;
  const statusCodes = (
    Array.isArray(codes) ? codes : typeof codes === 'string' ? codes.split(',') : []
  )
    .map((code) => Number(code))
    .filter((code) => Number.isFinite(code));
  const service = f.service as { id?: unknown } | undefined;
  const filter: Record<string, unknown> = {
    exclude_apis: text('exclude_apis'),
    service: typeof service?.id === 'string' ? { id: service.id } : undefined,
    consumer_id: text('consumer_id'),
    entity_type: text('entity_type'),
    event_type: text('event_type'),
    start_date: text('start_date'),
    end_date: text('end_date'),
    success: f.success === 'true' ? true : f.success === 'false' ? false : undefined,
    status_code: optionalNumber(f.status_code),
    status_codes: statusCodes.length > 0 ? statusCodes : undefined,
    event_id: text('event_id'),
    execution_attempt: optionalNumber(f.execution_attempt),
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

function listBody<T>(page: Page<T>, url: URL): Record<string, unknown> {
  const link = (cursor: string | null): string | null => {
    if (cursor === null) return null;
    const next = new URL(url);
    next.searchParams.set('cursor', cursor);
    return next.toString();
  };
  return {
    data: page.items,
    meta: {
      items_on_page: page.items.length,
      cursors: { previous: page.previous, current: page.current, next: page.next },
    },
    links: { previous: link(page.previous), current: url.toString(), next: link(page.next) },
  };
}

/** Starts the Webhook API in front of `standIn`. */
export async function startApideckApi(options: ApideckApiOptions): Promise<ApideckApiServer> {
  const { standIn } = options;
  const spec: OpenAPIBackend = await loadWebhookApiSpec();
  /** The status codes the next requests are refused with, in order. */
  const refusals: number[] = [];
  const answered = new Map<string, number>();

  const operate = async (operationId: string, parsed: ParsedRequest, url: URL): Promise<Answer> => {
    const id = String(parsed.params.id ?? '');
    const limit = Number(parsed.query.limit ?? DEFAULT_PAGE_LIMIT);
    const cursor = typeof parsed.query.cursor === 'string' ? parsed.query.cursor : undefined;
    switch (operationId) {
      case 'webhooksAll':
        return ok(listBody(paginate(standIn.listWebhooks(), cursor, limit, ''), url));
      case 'webhooksAdd':
        return ok({ data: await standIn.createWebhook(parsed.body as CreateWebhookInput) }, 201);
      case 'webhooksOne':
        return found(standIn.getWebhook(id));
      case 'webhooksUpdate':
        return found(await standIn.updateWebhook(id, parsed.body as UpdateWebhookInput));
      case 'webhooksDelete':
        return found(standIn.deleteWebhook(id));
      case 'eventLogsAll': {
        const filter = parseFilter(parsed.query.filter);
        const entries = standIn.eventLog().filter((entry) => matchesFilter(entry, filter));
        return ok(listBody(paginate(entries, cursor, limit, JSON.stringify(filter)), url));
      }
      default:
        return errorAnswer(501, `${operationId} is not part of the stand-in`);
    }
  };

  const answer = async (request: IncomingMessage): Promise<[string, Answer]> => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const raw = await text(request);
    const json = raw === '' ? undefined : parseJsonBody(raw);
    if (json?.ok === false) return ['unparsed', errorAnswer(400, 'the body is not valid JSON')];
    const body = json?.value;
    const specRequest: SpecRequest = {
      method: (request.method ?? 'GET').toLowerCase(),
      path: url.pathname,
      query: url.search.slice(1),
      headers: request.headers as SpecRequest['headers'],
      ...(body === undefined ? {} : { body }),
    };
    const operation = spec.router.matchOperation(specRequest);
    if (operation === undefined) return ['unrouted', errorAnswer(404, `no route ${url.pathname}`)];
    const operationId = operation.operationId ?? 'unnamed';
    const refused = refusals.shift();
    if (refused !== undefined) return [operationId, errorAnswer(refused)];
    // Node joins a repeated header into one string (only set-cookie is an array).
    const appId = request.headers['x-apideck-app-id'];
    if (typeof appId !== 'string' || appId === '') {
      return [operationId, errorAnswer(400, 'Missing Header: x-apideck-app-id')];
    }
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
    if (!sameSecret(token, standIn.apiKey) || appId !== standIn.applicationId) {
      return [operationId, errorAnswer(401, 'Invalid API key or application id')];
    }
    const validation = spec.validateRequest(specRequest, operation);
    if (!validation.valid) {
      return [operationId, errorAnswer(400, { errors: validation.errors ?? [] })];
    }
    try {
      return [
        operationId,
        await operate(operationId, spec.router.parseRequest(specRequest, operation), url),
      ];
    } catch (error) {
      if (error instanceof InvalidCursorError)
        return [operationId, errorAnswer(400, error.message)];
      throw error;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let result: [string, Answer];
    try {
      result = await answer(request);
    } catch (error) {
      result = ['failed', errorAnswer(500, error instanceof Error ? error.message : String(error))];
    }
    const [operationId, { statusCode, body }] = result;
    const key = `${operationId} ${statusCode}`;
    answered.set(key, (answered.get(key) ?? 0) + 1);
    response.writeHead(statusCode, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await once(server.listen(options.port ?? 0, '127.0.0.1'), 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refuse: ({ statusCode, times }) => {
      refusals.push(...Array<number>(times).fill(statusCode));
    },
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
