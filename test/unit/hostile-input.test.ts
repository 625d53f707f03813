/**
 * Hostile input against the real HTTP-layer handler: the fast-check properties
 * of verify/properties/hostile-input.ts at a few hundred runs each (`npm run
 * verify` runs them at 10,000 in all). Each property states its invariants in
 * `states`; a counterexample names the case and the invariant it broke.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  carriesValidSignature,
  hostileInputProperties,
  type Observation,
  prototypeKeyEvent,
  signedRequest,
  unsignedRequest,
} from '../../verify/properties/hostile-input.ts';

const RUNS_PER_PROPERTY = 300;

describe('hostile input', () => {
  const observations: Observation[] = [];
  const properties = hostileInputProperties((observation) => observations.push(observation));

  it.each(properties)('$name: $states', async ({ property }) => {
    await fc.assert(property, { numRuns: RUNS_PER_PROPERTY });
  });

  it('exercised every kind of answer the properties aim at', () => {
    const seen = new Set(observations.map((o) => `${o.statusCode} ${o.status}`));
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
