import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../../lambda/domain/json-body.ts';

describe('parseJsonBody', () => {
  it('parses valid JSON', () => {
    expect(parseJsonBody('{"payload":{"a":[1,null]}}')).toEqual({
      ok: true,
      value: { payload: { a: [1, null] } },
    });
  });

  it.each([
    ['an empty body', ''],
    ['truncated JSON', '{"payload":'],
    ['a byte-order mark', '\ufeff{}'],
    ['single quotes', "{'a':1}"],
    ['a trailing comma', '{"a":1,}'],
  ])('reports %s as not JSON without throwing', (_, text) => {
    expect(parseJsonBody(text)).toEqual({ ok: false });
  });

  it('parses JSON nested 20 000 levels deep without throwing', () => {
    const depth = 20_000;
    expect(parseJsonBody(`${'['.repeat(depth)}${']'.repeat(depth)}`).ok).toBe(true);
  });
});
