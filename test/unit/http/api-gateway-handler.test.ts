import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DeliveryReceiver } from '../../../lambda/domain/receive-signed-delivery.ts';
import { ConfigurationError } from '../../../lambda/errors.ts';
import { createApiGatewayHandler } from '../../../lambda/http/api-gateway-handler.ts';
import {
  apiGatewayEvent,
  buildEvent,
  fakeLambdaContext,
  loadEventText,
  signedApiGatewayEvent,
  signHex,
  VECTOR_KEY,
} from '../../support/apideck-events.ts';
import {
  createDeliveryHarness,
  DEFAULT_POLICY,
  type DeliveryHarness,
  type HarnessOptions,
} from '../../support/delivery-harness.ts';
import { leakedFragments } from '../../support/leaks.ts';

const NAMESPACE = 'Test/ApideckWebhooks';
const REQUEST_ID = 'a1b2c3d4-0000-4000-8000-00000000beef';
const STARTED_AT_MS = Date.UTC(2026, 10, 26, 12, 30);
const DURATION_MS = 42;
const SAMPLE_TEXT = loadEventText();
const SAMPLE_SIGNATURE = signHex(SAMPLE_TEXT);

/** A `now` that reads `start` for the first call and `start + step` for the next, and so on. */
function steppingNow(startMs: number, stepMs: number): () => number {
  let calls = 0;
  return () => startMs + stepMs * calls++;
}

interface Setup {
  readonly handle: ReturnType<typeof createApiGatewayHandler>;
  readonly lines: string[];
  readonly harness: DeliveryHarness;
}

function setup(options: HarnessOptions & { receive?: DeliveryReceiver } = {}): Setup {
  const harness = createDeliveryHarness(options);
  const lines: string[] = [];
  const handle = createApiGatewayHandler({
    receive: options.receive ?? harness.receive,
    metricsNamespace: NAMESPACE,
    sink: (written) => lines.push(...written.split('\n')),
    now: steppingNow(STARTED_AT_MS, DURATION_MS),
  });
  return { handle, lines, harness };
}

async function handleOnce(
  event: APIGatewayProxyEvent,
  options: HarnessOptions & { receive?: DeliveryReceiver } = {},
) {
  const { handle, lines, harness } = setup(options);
  const response = await handle(event, fakeLambdaContext({ awsRequestId: REQUEST_ID }));
  return { response, lines, harness };
}

function parseLine(line: string | undefined): Record<string, unknown> {
  if (line === undefined) throw new Error('no such line');
  return JSON.parse(line);
}

const failingReceiver: DeliveryReceiver = async () => {
  throw new TypeError('internal detail: cannot read properties of undefined (reading "x")');
};

describe('createApiGatewayHandler', () => {
  it('answers a validly signed sample event with 200 published', async () => {
    const { response } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT));
    expect({ statusCode: response.statusCode, body: JSON.parse(response.body) }).toEqual({
      statusCode: 200,
      body: { status: 'published', event_id: '00005eed-0000-0000-0000-000000000000' },
    });
  });

  it('finds the signature header in any casing', async () => {
    const event = apiGatewayEvent({
      body: SAMPLE_TEXT,
      headers: { 'X-Apideck-Signature': SAMPLE_SIGNATURE },
    });
    expect((await handleOnce(event)).response.statusCode).toBe(200);
  });

  it('verifies a base64-encoded body by its decoded bytes', async () => {
    const event = apiGatewayEvent({
      body: Buffer.from(SAMPLE_TEXT, 'utf8').toString('base64'),
      isBase64Encoded: true,
      multiValueHeaders: { 'X-APIDECK-SIGNATURE': [signHex(SAMPLE_TEXT, VECTOR_KEY, 'raw')] },
    });
    expect((await handleOnce(event)).response.statusCode).toBe(200);
  });

  it('answers a request without a signature with 401', async () => {
    const { response } = await handleOnce(apiGatewayEvent({ body: SAMPLE_TEXT }));
    expect(response.statusCode).toBe(401);
  });

  it('leases the claim for the invocation remaining time plus the margin', async () => {
    const { handle, harness } = setup();
    await handle(
      signedApiGatewayEvent(SAMPLE_TEXT),
      fakeLambdaContext({ remainingTimeMs: 12_345 }),
    );
    const claim = harness.store.calls[0];
    expect(claim?.operation === 'claim' ? claim.record.leaseExpiresAtMs - claim.nowMs : 0).toBe(
      12_345 + DEFAULT_POLICY.leaseMarginMs,
    );
  });

  describe('log and metrics', () => {
    it('hands the log line and the EMF document to the sink in one call', async () => {
      const calls: string[] = [];
      const harness = createDeliveryHarness();
      const handle = createApiGatewayHandler({
        receive: harness.receive,
        metricsNamespace: NAMESPACE,
        sink: (written) => calls.push(written),
      });
      await handle(signedApiGatewayEvent(SAMPLE_TEXT), fakeLambdaContext());
      const [written] = calls;
      expect({
        calls: calls.length,
        lines: written?.split('\n').map((line) => Object.keys(parseLine(line))[0]),
      }).toEqual({ calls: 1, lines: ['level', '_aws'] });
    });

    it.each([
      ['a published event', () => signedApiGatewayEvent(SAMPLE_TEXT)],
      ['a request without a signature', () => apiGatewayEvent({ body: SAMPLE_TEXT })],
      ['a forged request', () => signedApiGatewayEvent(SAMPLE_TEXT, 'sk_forged')],
      ['a validly signed non-event', () => signedApiGatewayEvent('{}')],
      ['a null body', () => apiGatewayEvent({ body: null })],
    ])('writes exactly two lines for %s', async (_, event) => {
      const { lines } = await handleOnce(event());
      expect(lines).toHaveLength(2);
    });

    it('writes exactly two lines when the receiver throws', async () => {
      const { lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT), {
        receive: failingReceiver,
      });
      expect(lines).toHaveLength(2);
    });

    it('writes exactly two lines per request, request after request', async () => {
      const { handle, lines } = setup();
      const context = fakeLambdaContext();
      await handle(signedApiGatewayEvent(SAMPLE_TEXT), context);
      await handle(signedApiGatewayEvent(SAMPLE_TEXT), context);
      await handle(apiGatewayEvent({ body: SAMPLE_TEXT }), context);
      expect(lines).toHaveLength(6);
    });

    it('logs event id, type, outcome, status and duration first', async () => {
      const { lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT));
      expect(parseLine(lines[0])).toMatchObject({
        level: 'INFO',
        message: 'webhook delivery',
        request_id: REQUEST_ID,
        event_id: '00005eed-0000-0000-0000-000000000000',
        event_type: 'vault.connection.created',
        outcome: 'published',
        status_code: 200,
        duration_ms: DURATION_MS,
        timestamp: new Date(STARTED_AT_MS + DURATION_MS).toISOString(),
      });
    });

    it("logs API Gateway's request id beside the Lambda's, to join the access logs", async () => {
      const event = signedApiGatewayEvent(SAMPLE_TEXT);
      const { lines } = await handleOnce(event);
      expect(parseLine(lines[0]).api_request_id).toBe(event.requestContext.requestId);
    });

    it('logs a rejected signature as a warning without event fields', async () => {
      const { lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT, 'sk_forged'));
      const { level, outcome, status_code, event_id, event_type } = parseLine(lines[0]);
      expect({ level, outcome, status_code, event_id, event_type }).toEqual({
        level: 'WARN',
        outcome: 'signature-rejected',
        status_code: 401,
        event_id: undefined,
        event_type: undefined,
      });
    });

    it('writes the EMF document second, in the configured namespace', async () => {
      const { lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT));
      expect(parseLine(lines[1])).toMatchObject({
        _aws: {
          Timestamp: STARTED_AT_MS + DURATION_MS,
          CloudWatchMetrics: [{ Namespace: NAMESPACE }],
        },
        Received: 1,
        Published: 1,
        HandlerDuration: DURATION_MS,
        EventType: 'vault.connection.created',
      });
    });

    const BASE64_SIGNATURE = Buffer.from(SAMPLE_SIGNATURE, 'hex').toString('base64');
    it.each([
      ['a published event', SAMPLE_SIGNATURE],
      ['a published event signed in base64', BASE64_SIGNATURE],
      ['a forged request', signHex(SAMPLE_TEXT, 'sk_forged')],
    ])(
      'keeps the key, the signature and the payload out of both lines for %s',
      async (_, signature) => {
        const request = apiGatewayEvent({
          body: SAMPLE_TEXT,
          headers: { 'x-apideck-signature': signature },
        });
        const { lines } = await handleOnce(request);
        const written = lines.join('\n');
        const secrets = [
          VECTOR_KEY,
          signature,
          'acme-user-42',
          'Salesforce',
          'acme.my.salesforce.com',
          'c01458a5-7276-41ce-bc19-639906b0450a',
        ];
        expect(secrets.filter((secret) => written.includes(secret))).toEqual([]);
      },
    );

    it('keeps key material out of the log when the secret is a malformed key list', async () => {
      const keys = ['sk_live_0123456789abcdef', 'sk_live_fedcba9876543210'];
      const { response, lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT), {
        secret: `["${keys[0]}", "${keys[1]}",]`,
      });
      expect(response.statusCode).toBe(503);
      expect(keys.flatMap((key) => leakedFragments(lines.join('\n'), key))).toEqual([]);
    });

    it('keeps the payload of an invalid envelope out of the log', async () => {
      const body = JSON.stringify(
        buildEvent({ payload: { occurred_at: 'yesterday-acme-secret' } }),
      );
      const { lines } = await handleOnce(signedApiGatewayEvent(body));
      expect(lines.join('\n')).not.toContain('yesterday-acme-secret');
    });
  });

  describe('unexpected errors', () => {
    it('answers 500 with status "error" when the receiver throws', async () => {
      const { response } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT), {
        receive: failingReceiver,
      });
      expect({ statusCode: response.statusCode, status: JSON.parse(response.body).status }).toEqual(
        {
          statusCode: 500,
          status: 'error',
        },
      );
    });

    it('keeps the error message out of the 500 body', async () => {
      const { response } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT), {
        receive: failingReceiver,
      });
      expect(response.body).not.toMatch(/internal detail|TypeError|undefined/);
    });

    it('counts an UnexpectedError metric', async () => {
      const { lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT), {
        receive: failingReceiver,
      });
      expect(parseLine(lines[1])).toMatchObject({ Received: 1, UnexpectedError: 1 });
    });

    it('logs the unexpected error at ERROR level with a 500 status', async () => {
      const { lines } = await handleOnce(signedApiGatewayEvent(SAMPLE_TEXT), {
        receive: failingReceiver,
      });
      expect(parseLine(lines[0])).toMatchObject({
        level: 'ERROR',
        outcome: 'unexpected-error',
        status_code: 500,
        error: { name: 'TypeError' },
      });
    });

    it('answers 500 when reading the context throws', async () => {
      const { handle } = setup();
      const context = {
        ...fakeLambdaContext(),
        getRemainingTimeInMillis: (): number => {
          throw new Error('no deadline');
        },
      };
      expect((await handle(signedApiGatewayEvent(SAMPLE_TEXT), context)).statusCode).toBe(500);
    });
  });
});

describe('createApiGatewayHandler with a configuration error', () => {
  it('answers 500 and logs the misconfiguration on the same request line as every request', async () => {
    const lines: string[] = [];
    const handle = createApiGatewayHandler({
      receive: () => Promise.reject(new ConfigurationError('TOPIC_ARNS', 'is required')),
      metricsNamespace: 'Test',
      sink: (written) => lines.push(...written.split('\n')),
    });
    const response = await handle(apiGatewayEvent(), fakeLambdaContext());
    const logged = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect({
      status: response.statusCode,
      message: logged.message,
      outcome: logged.outcome,
      error: logged.error,
    }).toEqual({
      status: 500,
      message: 'webhook delivery',
      outcome: 'misconfigured',
      error: { name: 'ConfigurationError', message: 'TOPIC_ARNS is required' },
    });
  });
});
