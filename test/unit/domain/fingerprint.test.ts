import { describe, expect, it } from 'vitest';
import { payloadFingerprint } from '../../../lambda/domain/fingerprint.ts';
import { loadEvent } from '../../support/apideck-events.ts';

const payload = loadEvent().payload;

/** The same fields, inserted in reverse order (nested objects too). */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => reversed(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reversed(item)]),
  );
}

describe('payloadFingerprint', () => {
  it('is a SHA-256 hex digest', () => {
    expect(payloadFingerprint(payload)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is equal across deliveries that differ only in execution_attempt', () => {
    expect(payloadFingerprint({ ...payload, execution_attempt: 7 })).toBe(
      payloadFingerprint(payload),
    );
  });

  it('is equal whether or not execution_attempt is present', () => {
    const { execution_attempt: _, ...withoutAttempt } = payload;
    expect(payloadFingerprint(withoutAttempt)).toBe(payloadFingerprint(payload));
  });

  it('ignores the key order of the input, at every depth', () => {
    const shuffled = reversed(payload) as Record<string, unknown>;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(payload));
    expect(payloadFingerprint(shuffled)).toBe(payloadFingerprint(payload));
  });

  it.each(Object.keys(payload).filter((key) => key !== 'execution_attempt'))(
    'differs when top-level field %s differs',
    (key) => {
      expect(payloadFingerprint({ ...payload, [key]: 'changed' })).not.toBe(
        payloadFingerprint(payload),
      );
    },
  );

  it('differs when a nested field differs', () => {
    const entity = payload.entity as Record<string, unknown>;
    expect(
      payloadFingerprint({ ...payload, entity: { ...entity, health: 'needs_auth' } }),
    ).not.toBe(payloadFingerprint(payload));
  });

  it('differs when execution_attempt differs inside a nested object', () => {
    const entity = payload.entity as Record<string, unknown>;
    expect(
      payloadFingerprint({ ...payload, entity: { ...entity, execution_attempt: 2 } }),
    ).not.toBe(payloadFingerprint({ ...payload, entity: { ...entity, execution_attempt: 1 } }));
  });

  it('differs when a field is added', () => {
    expect(payloadFingerprint({ ...payload, extra: true })).not.toBe(payloadFingerprint(payload));
  });

  it('differs when array order differs', () => {
    expect(payloadFingerprint({ ...payload, list: [1, 2] })).not.toBe(
      payloadFingerprint({ ...payload, list: [2, 1] }),
    );
  });
});
