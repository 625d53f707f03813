import { describe, expect, it } from 'vitest';
import { canonicalBodyOf } from '../../../lambda/domain/canonical-body.ts';
import { canonicalJson } from '../../../lambda/domain/canonical-json.ts';
import { payloadFingerprint } from '../../../lambda/domain/fingerprint.ts';
import { parseJsonBody } from '../../../lambda/domain/json-body.ts';
import { buildEvent, loadEventText } from '../../support/apideck-events.ts';

describe('canonicalBodyOf', () => {
  it('gives the canonical text of the body as Apideck signs it', () => {
    const text = loadEventText();
    expect(canonicalBodyOf(parseJsonBody(text))?.text).toBe(canonicalJson(JSON.parse(text)));
  });

  it('gives the payload fingerprint the claim is written with', () => {
    const body = buildEvent({ payload: { execution_attempt: 3 } });
    expect(canonicalBodyOf(parseJsonBody(JSON.stringify(body)))?.payloadFingerprint).toBe(
      payloadFingerprint(body.payload),
    );
  });

  it('gives the same fingerprint for deliveries that differ only in execution_attempt', () => {
    const fingerprints = [1, 2].map(
      (attempt) =>
        canonicalBodyOf(
          parseJsonBody(JSON.stringify(buildEvent({ payload: { execution_attempt: attempt } }))),
        )?.payloadFingerprint,
    );
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it('gives no fingerprint for a body without a payload object', () => {
    expect(canonicalBodyOf(parseJsonBody('{"payload":[1]}'))).toEqual({
      text: '{"payload":[1]}',
      payloadFingerprint: undefined,
    });
  });

  it('gives nothing for a body that is not JSON', () => {
    expect(canonicalBodyOf(parseJsonBody('not json'))).toBeUndefined();
  });

  it('gives nothing for a body nested too deeply to serialise, without throwing', () => {
    const depth = 20_000;
    const json = parseJsonBody(`{"payload":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(json.ok).toBe(true);
    expect(canonicalBodyOf(json)).toBeUndefined();
  });
});
