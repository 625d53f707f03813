/**
 * What the cost command assumes beyond the template and the price list, each
 * in one place with where it comes from. Figures measured on the handler are
 * in `measured.json` (written by `npm run cost:measure`, `bench/log-bytes.ts`).
 */
import measured from './measured.json' with { type: 'json' };

/** Hours in the month AWS bills by. */
export const HOURS_PER_MONTH = 730;

/** Seconds in that month. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * Billed Lambda duration of one delivery, in milliseconds. The bench's end-to-end
 * figure (the deployed bundle against the emulator, `bench/results.md`, figure 5)
 * is 47.5 ms at the median and 86.1 ms at p99 on Node.js 24; this takes the p99,
 * rounded up, for the DynamoDB, SNS and DynamoDB round trips of a warm delivery
 * on AWS. A cold start adds its initialisation (billed since August 2025), about
 * 0.1-0.4 s, once per container.
 */
export const RECEIVER_BILLED_MS = 100;

/** Billed duration of one run of a scheduled function (subscription health: one or two HTTPS calls). */
export const SCHEDULED_BILLED_MS = 1000;

/**
 * How long DynamoDB and SNS keep using a data key before asking KMS again, so
 * at most one KMS request per key per window with traffic (DynamoDB caches its
 * table key, SNS its data key, for about five minutes).
 */
export const KMS_DATA_KEY_REUSE_SECONDS = 300;

/** X-Ray's default sampling rule: the first request each second, then 5 % of the rest. */
export const DEFAULT_SAMPLING = { reservoirPerSecond: 1, fixedRate: 0.05 } as const;

/**
 * How deliveries arrive: spread evenly over the month (a Poisson process) and
 * evenly over the routed event types. Costs metered per time window (custom
 * metrics by the hour, KMS data keys, the secret's refresh, X-Ray's reservoir)
 * are highest under an even spread; bursts make them cheaper.
 */
export const ARRIVALS = 'evenly over the month and over the routed event types';

/** What one delivery writes, measured on the deployed bundle (`bench/log-bytes.ts`). */
export const MEASURED = measured;

/**
 * The Lambda runtime's own lines for one warm invocation, in each log format,
 * as AWS documents them (a request id is a UUID; an X-Ray trace id and segment id
 * when the invocation is traced). They are written by Lambda, not by the handler,
 * so no local run produces them: their bytes are these lines' bytes.
 */
export const PLATFORM_LINES = {
  text: [
    'START RequestId: 8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b Version: $LATEST',
    'END RequestId: 8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    'REPORT RequestId: 8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b\tDuration: 45.67 ms\tBilled Duration: 46 ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\t',
  ],
  /** Appended to the REPORT line of a traced invocation. */
  textTracing:
    '\nXRAY TraceId: 1-6753a0f1-1b2c3d4e5f6a7b8c9d0e1f2a\tSegmentId: 3c4d5e6f7a8b9c0d\tSampled: true\t',
  json: [
    '{"time":"2026-12-06T21:38:52.032Z","type":"platform.start","record":{"requestId":"8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b","version":"$LATEST"}}',
    '{"time":"2026-12-06T21:38:52.080Z","type":"platform.report","record":{"requestId":"8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b","metrics":{"durationMs":45.671,"billedDurationMs":46,"memorySizeMB":256,"maxMemoryUsedMB":91},"status":"success"}}',
  ],
  /** Added to the platform.report record of a traced invocation. */
  jsonTracing:
    ',"tracing":{"spanId":"3c4d5e6f7a8b9c0d","type":"X-Amzn-Trace-Id","value":"Root=1-6753a0f1-1b2c3d4e5f6a7b8c9d0e1f2a;Parent=5d6e7f8a9b0c1d2e;Sampled=1"}',
} as const;

/**
 * Values of API Gateway's `$context` variables for one delivery answered 200,
 * in the formats AWS documents, to render the stage's access log format. A
 * variable not listed renders as `-`, as API Gateway writes an empty value.
 */
export function accessLogValues(kind: 'rest-api' | 'http-api', traced: boolean, waf: boolean) {
  const rest = kind === 'rest-api';
  return {
    requestId: rest ? '0f5c2a8e-6b1d-4e7a-9c3f-2d4b6a8c0e1f' : 'JdqYaiXYiYcEJ8g=',
    extendedRequestId: 'Jx5a8HqOoAMEb0w=',
    requestTime: '06/Dec/2026:21:38:52 +0000',
    requestTimeEpoch: '1796593132032',
    'identity.sourceIp': '203.0.113.10',
    'identity.userAgent': 'Apideck-Webhooks',
    httpMethod: 'POST',
    resourcePath: '/webhooks',
    path: rest ? '/prod/webhooks' : '/webhooks',
    routeKey: 'POST /webhooks',
    protocol: 'HTTP/1.1',
    status: '200',
    stage: rest ? 'prod' : '$default',
    apiId: 'a1b2c3d4e5',
    domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
    responseLength: String(MEASURED.responseBodyBytes),
    responseLatency: '48',
    integrationStatus: '200',
    integrationLatency: '45',
    'integration.status': '200',
    'integration.latency': '45',
    'integration.integrationStatus': '200',
    'integration.requestId': '8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    wafResponseCode: waf ? 'WAF_ALLOW' : '-',
    xrayTraceId: traced ? '1-6753a0f1-1b2c3d4e5f6a7b8c9d0e1f2a' : '-',
  } as Readonly<Record<string, string>>;
}
