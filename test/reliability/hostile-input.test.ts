/**
 * Hostile input against the real HTTP-layer handler: the fast-check properties
 * of ./support/hostile-input.ts, sized by ./support/size.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordFigures } from '../support/figures.ts';
import {
  carriesValidSignature,
  hostileInputProperties,
  prototypeKeyEvent,
  signedRequest,
  unsignedRequest,
} from './support/hostile-input.ts';
import { SIZES } from './support/size.ts';

describe('hostile input', () => {
  const properties = hostileInputProperties();

  it.for(properties)('$name: $states', async ({ name, states, property, answers }, { task }) => {
    const started = Date.now();
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const details = await fc.check(property, { numRuns: SIZES.hostileRunsPerProperty, seed });
    const failure = details.failed
      ? `${String(details.errorInstance ?? 'failed')} (seed ${seed}, path ${details.counterexamplePath ?? ''})`
      : undefined;
    recordFigures(task, {
      kind: 'property',
      run: { name, states, runs: details.numRuns, answers: { ...answers }, failure },
      durationMs: Date.now() - started,
    });

    expect(failure).toBeUndefined();
    expect(details.numRuns).toBe(SIZES.hostileRunsPerProperty);
    expect(Object.keys(answers).filter((answer) => answer.startsWith('5'))).toEqual([]);
  });

  it('exercised every kind of answer the properties aim at', () => {
    const seen = new Set(properties.flatMap(({ answers }) => Object.keys(answers)));
    for (const answer of [
      '401 unauthorized',
      '413 too_large',
      '200 published',
      '200 ignored',
      '400 invalid_envelope',
      '400 invalid_json',
    ]) {
      expect(seen, answer).toContain(answer);
    }
  });
});

describe('the signature oracle of the properties', () => {
  it('finds the signature of every signed case and none in the unsigned ones it was built for', () => {
    const signed = fc.sample(fc.oneof(signedRequest, prototypeKeyEvent), 200);
    expect(signed.filter((kase) => !carriesValidSignature(kase.event))).toEqual([]);
    const unsigned = fc.sample(unsignedRequest, 200);
    expect(unsigned.filter((kase) => carriesValidSignature(kase.event)).length).toBeLessThan(5);
  });
});
