/**
 * A fault-injecting HTTP proxy in front of the AWS API emulator, for the
 * reliability scenarios: point a handler's `AWS_ENDPOINT_URL` at it, and it
 * forwards every request to the emulator unless told to fail the requests of
 * one service (503 or a connection reset) or a rule intercepts one (with any
 * {@link ProxyAction}: a 503, a throttle, a reset, a lost answer, a hang, …).
 *
 * Requests are identified the way AWS routes them: the service from the SigV4
 * credential scope of the `Authorization` header
 * (`Credential=<key>/<date>/<region>/<service>/aws4_request`), the operation
 * from `X-Amz-Target` (JSON protocols: DynamoDB, Secrets Manager) or the
 * `Action` form field (query protocol: SNS).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  /** The SigV4 service name (`sns`, `dynamodb`, `secretsmanager`, …), if signed. */
  readonly service: string | undefined;
  /** The API operation (`Publish`, `PutItem`, `GetSecretValue`, …), if recognisable. */
  readonly operation: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What to do with a request. */
export type ProxyAction =
  /** Forward it to the emulator (after `delayMs`, if given). */
  | { readonly kind: 'forward'; readonly delayMs?: number }
  /** Answer 503 with an AWS error body of the request's protocol; the emulator never sees it. */
  | { readonly kind: 'unavailable' }
  /** Answer the service's throttling error (DynamoDB `ThrottlingException` 400, SNS `Throttled` 429); the emulator never sees it. */
  | { readonly kind: 'throttle' }
  /** Destroy the connection without an answer; the emulator never sees it. */
  | { readonly kind: 'reset' }
  /** Forward it, let the emulator act on it, then destroy the connection: the answer is lost. */
  | { readonly kind: 'lose-answer' }
  /** Never answer (the connection stays open until the client gives up). */
  | { readonly kind: 'hang' }
  /** Send the answer's status and headers, then nothing more. */
  | { readonly kind: 'stall-after-headers' }
  /** Send the headers, then one byte of a never-ending body every `intervalMs`. */
  | { readonly kind: 'trickle'; readonly intervalMs: number };

/** A rule: an action for the requests it matches, `undefined` for the others. */
export type ProxyRule = (request: ProxiedRequest) => ProxyAction | undefined;

/**
 * A rule applying `action` to the next `times` requests of `operation` (all of
 * them by default) whose body contains `bodyMark`, if given.
 */
export function operationRule(
  operation: string,
  action: ProxyAction,
  times = Number.POSITIVE_INFINITY,
  bodyMark?: string,
): ProxyRule {
  let left = times;
  return (request) => {
    if (request.operation !== operation || left <= 0) return undefined;
    if (bodyMark !== undefined && !request.body.toString('utf8').includes(bodyMark)) {
      return undefined;
    }
    left -= 1;
    return action;
  };
}

/** How a service's requests fail while it is down. */
export type FaultMode = 'unavailable' | 'reset';

/** What happened to one request. */
export interface ProxyLogEntry {
  readonly service: string | undefined;
  readonly operation: string | undefined;
  readonly action: ProxyAction['kind'];
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: the `AWS_ENDPOINT_URL` to give the handler. */
  readonly endpoint: string;
  /** Fails every later request of `service` (SigV4 name) until {@link heal}. */
  fail(service: string, mode?: FaultMode): void;
  /** Stops failing `service`, or every service. */
  heal(service?: string): void;
  /** Adds a rule, consulted before the service faults (first match wins); returns its removal. */
  intercept(rule: ProxyRule): () => void;
  /** How many requests so far match every field `filter` gives. */
  count(filter: Partial<ProxyLogEntry>): number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The emulator's base URL (`http://host:port`). */
  readonly target: string;
}

/** How long an idle client connection stays open: longer than any pause in a test. */
const IDLE_CONNECTION_MS = 120_000;

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

/** The SigV4 service of a request, from its `Authorization` header. */
function serviceOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  return CREDENTIAL_SCOPE.exec(authorization)?.[1];
}

/** The operation of a request: `X-Amz-Target`'s suffix, or the query protocol's `Action`. */
function operationOf(headers: IncomingHttpHeaders, body: Buffer): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1) || undefined;
  const contentType = String(headers['content-type'] ?? '');
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
  }
  return undefined;
}

/** An AWS error the proxy answers with, in both protocols' terms. */
interface InjectedError {
  readonly status: number;
  /** `__type` of the JSON protocols (DynamoDB, Secrets Manager). */
  readonly jsonType: string;
  /** `Code` and `Type` of the query protocol (SNS). */
  readonly queryCode: string;
  readonly queryStatus: number;
  readonly queryType: 'Sender' | 'Receiver';
  readonly message: string;
}

const UNAVAILABLE: InjectedError = {
  status: 503,
  jsonType: 'ServiceUnavailableException',
  queryCode: 'ServiceUnavailable',
  queryStatus: 503,
  queryType: 'Receiver',
  message: 'Service unavailable (injected by the fault proxy)',
};

/** DynamoDB's and SNS's own throttling errors (what their SDK clients model). */
const THROTTLED: InjectedError = {
  status: 400,
  jsonType: 'ThrottlingException',
  queryCode: 'Throttled',
  queryStatus: 429,
  queryType: 'Sender',
  message: 'Rate exceeded (injected by the fault proxy)',
};

/** Answers `error` in the error format the request's protocol expects. */
function answerError(
  headers: IncomingHttpHeaders,
  response: ServerResponse,
  error: InjectedError,
): void {
  const contentType = String(headers['content-type'] ?? '');
  const json = contentType.startsWith('application/x-amz-json');
  response.writeHead(json ? error.status : error.queryStatus, {
    'content-type': json ? contentType : 'text/xml',
    'x-amzn-requestid': randomUUID(),
  });
  response.end(
    json
      ? JSON.stringify({ __type: error.jsonType, message: error.message })
      : `<ErrorResponse><Error><Type>${error.queryType}</Type><Code>${error.queryCode}</Code>` +
          `<Message>${error.message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/** Starts the proxy on the loopback interface and resolves once it listens. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const faults = new Map<string, FaultMode>();
  const rules: ProxyRule[] = [];
  const log: ProxyLogEntry[] = [];

  const decide = (request: ProxiedRequest): ProxyAction => {
    for (const rule of [...rules]) {
      const action = rule(request);
      if (action !== undefined) return action;
    }
    const mode = request.service === undefined ? undefined : faults.get(request.service);
    return mode === undefined ? { kind: 'forward' } : { kind: mode };
  };

  const forward = (
    incoming: ProxiedRequest,
    response: ServerResponse,
    loseAnswer = false,
  ): void => {
    const upstream = httpRequest(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.path,
        headers: incoming.headers,
      },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.once('end', () => response.socket?.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.once('error', () => response.destroy());
      },
    );
    upstream.once('error', () => response.destroy());
    upstream.end(incoming.body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await buffer(request);
    const proxied: ProxiedRequest = {
      service: serviceOf(request.headers),
      operation: operationOf(request.headers, body),
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body,
    };
    const action = decide(proxied);
    log.push({ service: proxied.service, operation: proxied.operation, action: action.kind });
    switch (action.kind) {
      case 'forward':
        if (action.delayMs !== undefined) await sleep(action.delayMs);
        forward(proxied, response);
        return;
      case 'unavailable':
        answerError(request.headers, response, UNAVAILABLE);
        return;
      case 'throttle':
        answerError(request.headers, response, THROTTLED);
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'lose-answer':
        forward(proxied, response, true);
        return;
      case 'hang':
        return;
      case 'stall-after-headers':
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.flushHeaders();
        return;
      case 'trickle': {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        const timer = setInterval(() => response.write(' '), action.intervalMs);
        response.once('close', () => clearInterval(timer));
        return;
      }
    }
  };

  const server = createServer((request, response) => {
    request.once('error', () => response.destroy());
    handle(request, response).catch(() => response.destroy());
  });
  // Node's default of 5 s closes an idle client connection just as a
  // scenario's retry (sent a lease, about 5 s, after the last call) reuses it:
  // the request is then cut off after it was sent, an uncertain call the test
  // did not inject. Only the faults a test names may reach the receiver.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
  await once(server.listen(0, '127.0.0.1'), 'listening');
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    fail: (service, mode = 'unavailable') => {
      faults.set(service, mode);
    },
    heal: (service) => {
      if (service === undefined) faults.clear();
      else faults.delete(service);
    },
    intercept: (rule) => {
      rules.push(rule);
      return () => {
        const index = rules.indexOf(rule);
        if (index >= 0) rules.splice(index, 1);
      };
    },
    count: (filter) =>
      log.filter((entry) =>
        (Object.keys(filter) as (keyof ProxyLogEntry)[]).every(
          (key) => filter[key] === undefined || entry[key] === filter[key],
        ),
      ).length,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
