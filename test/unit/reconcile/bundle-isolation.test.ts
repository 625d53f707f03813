import { beforeAll, describe, expect, it } from 'vitest';
import { type BundleWeight, weighAll } from '../../../scripts/bundle-weight.ts';

/** Inputs that belong to the Apideck client side: none may reach the receiver. */
const APIDECK_CLIENT =
  /(^|\/)(lambda\/reconcile|lambda\/subscription-health|tools\/apideck)\/|@apideck\//;

let weights: BundleWeight[];

function bundle(prefix: string): BundleWeight {
  const found = weights.find((weight) => weight.name.startsWith(prefix));
  if (found === undefined) throw new Error(`no ${prefix} bundle`);
  return found;
}

beforeAll(async () => {
  weights = await weighAll();
});

describe('bundle isolation', () => {
  it('keeps every module of the Apideck client out of the receiver bundle', () => {
    expect(bundle('receiver').inputs.filter((input) => APIDECK_CLIENT.test(input))).toEqual([]);
  });

  it('finds the client in the scheduled function bundle (the check can see it)', () => {
    expect(bundle('scheduled').inputs).toContain('lambda/reconcile/apideck-webhook-api.ts');
  });

  it('keeps the fetch client a small fraction of the SDK it replaces', () => {
    expect(bundle('fetch client').bytes * 100).toBeLessThan(
      bundle('@apideck/unify standalone').bytes,
    );
  });
});
