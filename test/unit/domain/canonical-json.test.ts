import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonWithMember } from '../../../lambda/domain/canonical-json.ts';
import {
  hasProtoKey,
  referenceCanonicalJson,
  sortKeysDeep,
} from '../../support/canonical-reference.ts';

/** Parses JSON text the way a body arrives: the receiver only sees `JSON.parse` output. */
function parsed(text: string): unknown {
  return JSON.parse(text);
}

describe('canonicalJson', () => {
  it.each([
    ['emoji', '{"b":"😀 party 🎉","a":"ok"}'],
    ['non-BMP characters', '{"z":"𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱","y":"\\ud83d\\ude00"}'],
    ['combining characters', '{"name":"e\\u0301 n\\u0303 Zu\\u0308rich","ñ":1,"n":2}'],
    ['non-ASCII keys', '{"é":1,"e":2,"z":3,"Ω":4,"😀":5}'],
    ['quotes and backslashes', '{"q":"say \\"hi\\" \\\\ C:\\\\path","\\"k\\"":"v"}'],
    ['control characters', '{"c":"\\u0000\\u0001\\b\\f\\n\\r\\t\\u001f\\u007f"}'],
    ['line and paragraph separators', '{"s":"a\\u2028b\\u2029c"}'],
    ['lone surrogates', '{"s":"\\ud800 \\udfff"}'],
    ['slashes', '{"url":"https:\\/\\/example.com\\/a"}'],
  ])('serialises %s exactly like JSON.stringify of the key-sorted copy', (_, text) => {
    const value = parsed(text);
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('writes every UTF-16 code unit, in keys and values, exactly as JSON.stringify does', () => {
    const differing: number[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      const value = { [`k${char}`]: `v${char}`, plain: 'text' };
      if (canonicalJson(value) !== referenceCanonicalJson(value)) differing.push(unit);
    }
    expect(differing).toEqual([]);
  });

  it('serialises numbers like JSON.stringify (exponents, -0, fractions)', () => {
    const value = parsed('{"b":1e21,"a":-0,"c":0.1,"d":1.5e-7,"e":12345678901234567890}');
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('sorts keys by UTF-16 code units, like Array.prototype.sort', () => {
    expect(canonicalJson(parsed('{"b":1,"B":2,"a":3,"_":4,"😀":5,"\uffff":6}'))).toBe(
      '{"B":2,"_":4,"a":3,"b":1,"😀":5,"\uffff":6}',
    );
  });

  it('keeps array order but sorts the keys of objects inside arrays', () => {
    expect(canonicalJson(parsed('[{"b":1,"a":[{"d":1,"c":2}]},3,{"z":null,"y":true}]'))).toBe(
      '[{"a":[{"c":2,"d":1}],"b":1},3,{"y":true,"z":null}]',
    );
  });

  it('sorts keys at every depth', () => {
    expect(canonicalJson(parsed('{"b":{"d":{"f":1,"e":2},"c":3},"a":0}'))).toBe(
      '{"a":0,"b":{"c":3,"d":{"e":2,"f":1}}}',
    );
  });

  it('puts integer-like keys first, in numeric order, like JSON.stringify does', () => {
    expect(canonicalJson(parsed('{"a":1,"10":2,"9":3}'))).toBe('{"9":3,"10":2,"a":1}');
  });

  it('orders integer-like keys exactly as the reference does at the array-index boundary', () => {
    const value = parsed(
      '{"4294967295":1,"4294967294":2,"10":3,"9":4,"a":5,"01":6,"-1":7,"1.5":8,"0":9}',
    );
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('serialises primitives at the top level like JSON.stringify', () => {
    expect(['"text"', '42', 'true', 'null'].map((text) => canonicalJson(parsed(text)))).toEqual([
      '"text"',
      '42',
      'true',
      'null',
    ]);
  });

  it('serialises empty objects and arrays compactly', () => {
    expect(canonicalJson(parsed('{ "b" : [ ] , "a" : { } }'))).toBe('{"a":{},"b":[]}');
  });

  it('keeps a __proto__ key as an ordinary key, sorted with the others', () => {
    expect(canonicalJson(parsed('{"z":1,"__proto__":{"b":2,"a":1},"a":0}'))).toBe(
      '{"__proto__":{"a":1,"b":2},"a":0,"z":1}',
    );
  });

  it('differs from the assignment-based reference only for the __proto__ key', () => {
    // The reference assigns `sorted.__proto__ = {...}`, which sets the prototype and drops the key.
    const value = parsed('{"__proto__":{"x":1},"a":0}');
    expect({ ours: canonicalJson(value), reference: referenceCanonicalJson(value) }).toEqual({
      ours: '{"__proto__":{"x":1},"a":0}',
      reference: '{"a":0}',
    });
  });

  it('leaves out the omitted keys of the top-level object', () => {
    const value = parsed('{"execution_attempt":3,"b":1,"a":2}');
    expect(canonicalJson(value, new Set(['execution_attempt']))).toBe('{"a":2,"b":1}');
  });

  it('keeps omitted keys that appear below the top level', () => {
    const value = parsed(
      '{"execution_attempt":3,"nested":{"execution_attempt":4},"list":[{"execution_attempt":5}]}',
    );
    expect(canonicalJson(value, new Set(['execution_attempt']))).toBe(
      '{"list":[{"execution_attempt":5}],"nested":{"execution_attempt":4}}',
    );
  });

  it('throws a RangeError for a value nested deeper than the stack allows', () => {
    const depth = 20_000;
    expect(() => canonicalJson(parsed(`${'['.repeat(depth)}${']'.repeat(depth)}`))).toThrow(
      RangeError,
    );
  });

  it('equals JSON.stringify(sortKeysDeep(v)) for random JSON values without __proto__ keys', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => !hasProtoKey(value)),
        (value) => canonicalJson(value) === JSON.stringify(sortKeysDeep(value)),
      ),
      { numRuns: 500 },
    );
  });

  it('equals the reference for random unicode JSON values round-tripped through JSON.parse', () => {
    fc.assert(
      fc.property(
        fc
          .jsonValue({ stringUnit: 'binary' })
          .map((value) => parsed(JSON.stringify(value)))
          .filter((value) => !hasProtoKey(value)),
        (value) => canonicalJson(value) === JSON.stringify(sortKeysDeep(value)),
      ),
      { numRuns: 300 },
    );
  });

  it('equals the reference for random objects with integer-like and numeric-looking keys', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.nat({ max: 20 }).map(String),
      fc.constantFrom('4294967294', '4294967295', '4294967296', '01', '-1', '1e3', '1.0', '00'),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(key, tie('tree'), { maxKeys: 6 }),
      ),
    }));
    fc.assert(
      fc.property(
        tree.map((value) => parsed(JSON.stringify(value))).filter((value) => !hasProtoKey(value)),
        (value) => canonicalJson(value) === JSON.stringify(sortKeysDeep(value)),
      ),
      { numRuns: 500 },
    );
  });
});

describe('canonicalJsonWithMember', () => {
  const OMIT: ReadonlySet<string> = new Set(['execution_attempt']);

  it('gives the canonical text of the whole value and of the member without the omitted keys', () => {
    const value = parsed('{"z":0,"payload":{"b":1,"execution_attempt":2,"a":{"d":1,"c":2}}}');
    expect(canonicalJsonWithMember(value, 'payload', OMIT)).toEqual({
      text: '{"payload":{"a":{"c":2,"d":1},"b":1,"execution_attempt":2},"z":0}',
      member: '{"a":{"c":2,"d":1},"b":1}',
    });
  });

  it.each([
    ['a value that is not an object', '[{"payload":{}}]'],
    ['an object without the member', '{"other":{"a":1}}'],
    ['a member that is an array', '{"payload":[1,2]}'],
    ['a member that is a primitive', '{"payload":"text"}'],
    ['a member that is null', '{"payload":null}'],
  ])('gives no member text for %s', (_, text) => {
    const value = parsed(text);
    expect(canonicalJsonWithMember(value, 'payload', OMIT)).toEqual({
      text: canonicalJson(value),
      member: undefined,
    });
  });

  it('gives the empty object for a member holding only omitted keys', () => {
    const value = parsed('{"payload":{"execution_attempt":1}}');
    expect(canonicalJsonWithMember(value, 'payload', OMIT).member).toBe('{}');
  });

  it('equals canonicalJson of the value and of the member for random JSON objects', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.nat({ max: 20 }).map(String),
      fc.constantFrom('execution_attempt', '__proto__', '4294967295', '01'),
    );
    const object = fc.dictionary(key, fc.jsonValue(), { maxKeys: 8 });
    fc.assert(
      fc.property(object, object, (outer, inner) => {
        const value = parsed(JSON.stringify({ ...outer, payload: inner }));
        const texts = canonicalJsonWithMember(value, 'payload', OMIT);
        const payload = (value as { payload: unknown }).payload;
        return texts.text === canonicalJson(value) && texts.member === canonicalJson(payload, OMIT);
      }),
      { numRuns: 500 },
    );
  });
});
