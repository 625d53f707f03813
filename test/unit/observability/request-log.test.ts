import { describe, expect, it } from 'vitest';
import { IdempotencyStoreError } from '../../../lambda/errors.ts';
import type { HandledOutcome } from '../../../lambda/observability/outcome-metrics.ts';
import { requestLogLine } from '../../../lambda/observability/request-log.ts';
import { outcomeExample, SAMPLE_EVENT } from '../../support/delivery-outcomes.ts';

const FACTS = {
  requestId: 'req-1',
  statusCode: 200,
  durationMs: 12,
  timestampMs: Date.UTC(2026, 10, 26, 12, 30),
};

function line(outcome: HandledOutcome, statusCode = FACTS.statusCode): Record<string, unknown> {
  return JSON.parse(requestLogLine(outcome, { ...FACTS, statusCode }));
}

describe('requestLogLine', () => {
  it('logs the common fields of a published event', () => {
    expect(line(outcomeExample('published'))).toEqual({
      level: 'INFO',
      timestamp: '2026-11-26T12:30:00.000Z',
      message: 'webhook delivery',
      request_id: 'req-1',
      outcome: 'published',
      status_code: 200,
      duration_ms: 12,
      event_id: SAMPLE_EVENT.eventId,
      event_type: SAMPLE_EVENT.eventType,
      message_id: 'msg-1',
      completed: true,
    });
  });

  it('says routed: false only for a publish to the catch-all topic', () => {
    expect([
      line(outcomeExample('published')).routed,
      line(outcomeExample('published, unrouted')).routed,
    ]).toEqual([undefined, false]);
  });

  it("writes what Lambda's REPORT line would: cold start, peak memory, the sampled trace", () => {
    const facts = {
      ...FACTS,
      coldStart: true,
      maxMemoryMb: 91,
      traceId: '1-6753a0f1-1b2c3d4e5f6a7b8c9d0e1f2a',
    };
    expect(JSON.parse(requestLogLine(outcomeExample('published'), facts))).toMatchObject({
      cold_start: true,
      max_memory_mb: 91,
      xray_trace_id: '1-6753a0f1-1b2c3d4e5f6a7b8c9d0e1f2a',
    });
  });

  it('leaves cold_start out of a warm request', () => {
    const warm = JSON.parse(
      requestLogLine(outcomeExample('published'), { ...FACTS, coldStart: false }),
    );
    expect(warm).not.toHaveProperty('cold_start');
  });

  it('logs a 4xx as WARN', () => {
    expect(line(outcomeExample('payload-conflict'), 422).level).toBe('WARN');
  });

  it('logs a 5xx as ERROR', () => {
    expect(line(outcomeExample('store unavailable'), 503).level).toBe('ERROR');
  });

  it('logs a published event whose completion failed as ERROR despite the 200', () => {
    expect(line(outcomeExample('published, completion failed')).level).toBe('ERROR');
  });

  it('describes an error by name, message and cause, without a stack', () => {
    const error = new IdempotencyStoreError('claiming the event failed', {
      cause: new Error('ProvisionedThroughputExceededException: Rate exceeded'),
    });
    const outcome: HandledOutcome = {
      kind: 'unavailable',
      dependency: 'DynamoDB',
      error,
      event: SAMPLE_EVENT,
      publishFailed: false,
      publishUncertain: false,
      releaseFailed: false,
    };
    expect(line(outcome, 503).error).toEqual({
      name: 'IdempotencyStoreError',
      message: 'claiming the event failed',
      cause: 'Error: ProvisionedThroughputExceededException: Rate exceeded',
    });
  });

  it('describes a thrown non-Error by its type only, never its value', () => {
    const outcome: HandledOutcome = { kind: 'unexpected-error', error: 'sk_live_secret' };
    expect(line(outcome, 500).error).toEqual({ name: 'string' });
  });

  it('logs the retry delay of an in-progress event', () => {
    expect(line(outcomeExample('in-progress'), 409).retry_after_seconds).toBe(17);
  });

  it('logs the verdict and occurred_at of a refused replay', () => {
    expect(line(outcomeExample('replay too old'), 422)).toMatchObject({
      reason: 'too-old',
      occurred_at: '2026-11-26T12:00:00.000Z',
    });
  });

  it('logs size and limit of a too-large body', () => {
    expect(line(outcomeExample('body too large'), 413)).toMatchObject({
      size_bytes: 300_000,
      limit_bytes: 262_144,
    });
  });

  it('logs whether a failed publish was released', () => {
    expect(line(outcomeExample('publish and release failed'), 503)).toMatchObject({
      dependency: 'SNS',
      publish_failed: true,
      release_failed: true,
    });
  });

  it('never logs the payload', () => {
    expect(requestLogLine(outcomeExample('published'), FACTS)).not.toMatch(
      /acme-user-42|Salesforce|entity/,
    );
  });
});
