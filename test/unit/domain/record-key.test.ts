import { describe, expect, it } from 'vitest';
import { DERIVED_KEY_PREFIX, recordKeyOf } from '../../../lambda/domain/record-key.ts';

describe('recordKeyOf', () => {
  it('keys a well-formed event id by the id itself', () => {
    expect(recordKeyOf('00005eed-0000-0000-0000-000000000000')).toBe(
      '00005eed-0000-0000-0000-000000000000',
    );
  });

  it('keys an id with a lone surrogate by a hash, which is well-formed', () => {
    const key = recordKeyOf('evt-\ud83d');
    expect({
      prefixed: key.startsWith(`${DERIVED_KEY_PREFIX}sha256:`),
      wellFormed: key.isWellFormed(),
    }).toEqual({
      prefixed: true,
      wellFormed: true,
    });
  });

  it('gives the same id the same key on every retry', () => {
    expect(recordKeyOf('evt-\ud83d')).toBe(recordKeyOf('evt-\ud83d'));
  });

  it('gives ids that differ only in their lone surrogate different keys', () => {
    expect(recordKeyOf('evt-\ud83d')).not.toBe(recordKeyOf('evt-\ud83e'));
  });

  it('hashes a well-formed id that starts with the derived-key prefix, so none can collide', () => {
    const crafted = recordKeyOf('evt-\ud83d');
    expect(recordKeyOf(crafted)).not.toBe(crafted);
  });
});
