import { describe, expect, it } from 'vitest';
import { parseSigningKeys, SigningKeyRing } from '../../../lambda/domain/signing-key-ring.ts';
import { DependencyError, SigningKeysUnavailableError } from '../../../lambda/errors.ts';
import { InMemorySecretReader, ManualClock } from '../../support/in-memory-ports.ts';
import { leakedFragments } from '../../support/leaks.ts';

const INTERVAL_MS = 60_000;
const START_MS = Date.UTC(2026, 10, 26, 12);

function keyRing(secretString = 'key-1') {
  const secret = new InMemorySecretReader(secretString);
  const clock = new ManualClock(START_MS);
  return { secret, clock, ring: new SigningKeyRing(secret, INTERVAL_MS, clock.now) };
}

describe('parseSigningKeys', () => {
  it('reads a plain value as one key', () => {
    expect(parseSigningKeys('sk_live_abc')).toEqual(['sk_live_abc']);
  });

  it('trims a single key', () => {
    expect(parseSigningKeys('  sk_live_abc\n')).toEqual(['sk_live_abc']);
  });

  it('reads a JSON array as several keys, in order', () => {
    expect(parseSigningKeys('["sk_new", "sk_old"]')).toEqual(['sk_new', 'sk_old']);
  });

  it('drops blank entries of a JSON array and trims the others', () => {
    expect(parseSigningKeys('["", " sk_new ", "   ", "sk_old"]')).toEqual(['sk_new', 'sk_old']);
  });

  it.each([
    ['a blank secret', '  '],
    ['an empty array', '[]'],
    ['an array of blanks', '["  ", ""]'],
  ])('refuses %s as holding no key', (_, secret) => {
    expect(() => parseSigningKeys(secret)).toThrow(/holds no key/);
  });

  it('refuses a JSON object instead of reading it as one literal key', () => {
    expect(() => parseSigningKeys('{"apiKey":"sk_live_abc"}')).toThrow(SigningKeysUnavailableError);
  });

  it('refuses an invalid JSON array with SigningKeysUnavailableError', () => {
    expect(() => parseSigningKeys('["sk_new", "sk_old",]')).toThrow(SigningKeysUnavailableError);
  });

  it('refuses a JSON array holding a non-string with SigningKeysUnavailableError', () => {
    expect(() => parseSigningKeys('["sk_new", 42]')).toThrow(SigningKeysUnavailableError);
  });

  it('reports an invalid secret as a Secrets Manager dependency failure', () => {
    let caught: unknown;
    try {
      parseSigningKeys('[not json');
    } catch (error) {
      caught = error;
    }
    expect(caught instanceof DependencyError ? caught.dependency : undefined).toBe(
      'SecretsManager',
    );
  });

  it('never carries key material in the error of an invalid JSON array, nor in its cause', () => {
    // JSON.parse's SyntaxError quotes the text around the fault (`..."_secret",]" is not valid JSON`);
    // whatever the error carries ends up in the request log line.
    const keys = ['sk_live_0123456789abcdef', 'sk_live_fedcba9876543210'];
    const secretString = `["${keys[0]}", "${keys[1]}",]`;
    let caught: unknown;
    try {
      parseSigningKeys(secretString);
    } catch (error) {
      caught = error;
    }
    const described = [caught, caught instanceof Error ? caught.cause : undefined]
      .map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : ''))
      .join('\n');
    expect(keys.flatMap((key) => leakedFragments(described, key))).toEqual([]);
  });
});

describe('SigningKeyRing', () => {
  it('reads the keys from the secret on first use', async () => {
    const { ring } = keyRing('["key-1","key-2"]');
    expect(await ring.current()).toEqual(['key-1', 'key-2']);
  });

  it('reads the secret once and serves later calls within the interval from the cache', async () => {
    const { ring, secret, clock } = keyRing();
    await ring.current();
    clock.advance(INTERVAL_MS - 1);
    await ring.current();
    await ring.current();
    expect(secret.reads).toBe(1);
  });

  it('keeps serving the cached keys within the interval after the secret changed', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    await ring.current();
    secret.rotate('key-2');
    clock.advance(INTERVAL_MS - 1);
    expect(await ring.current()).toEqual(['key-1']);
  });

  it('stops serving a key removed from the secret once the interval has passed', async () => {
    const { ring, secret, clock } = keyRing('["key-new","key-old"]');
    await ring.current();
    secret.rotate('key-new');
    clock.advance(INTERVAL_MS);
    expect(await ring.current()).toEqual(['key-new']);
  });

  it('serves the stale keys when the re-read of expired keys fails', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    await ring.current();
    secret.failWith();
    clock.advance(INTERVAL_MS);
    expect({ keys: await ring.current(), reads: secret.reads }).toEqual({
      keys: ['key-1'],
      reads: 2,
    });
  });

  it('does not re-read within the interval: refresh() gives undefined', async () => {
    const { ring, secret, clock } = keyRing();
    await ring.current();
    clock.advance(INTERVAL_MS - 1);
    expect({ refreshed: await ring.refresh(), reads: secret.reads }).toEqual({
      refreshed: undefined,
      reads: 1,
    });
  });

  it('re-reads the secret once the interval has passed', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    await ring.current();
    secret.rotate('["key-2","key-1"]');
    clock.advance(INTERVAL_MS);
    expect(await ring.refresh()).toEqual(['key-2', 'key-1']);
  });

  it('serves the refreshed keys from the cache afterwards', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    await ring.current();
    secret.rotate('key-2');
    clock.advance(INTERVAL_MS);
    await ring.refresh();
    expect(await ring.current()).toEqual(['key-2']);
  });

  it('reads on refresh() when nothing was read yet', async () => {
    const { ring } = keyRing('key-1');
    expect(await ring.refresh()).toEqual(['key-1']);
  });

  it('starts the interval again at each refresh', async () => {
    const { ring, secret, clock } = keyRing();
    await ring.current();
    clock.advance(INTERVAL_MS);
    await ring.refresh();
    clock.advance(INTERVAL_MS - 1);
    expect({ refreshed: await ring.refresh(), reads: secret.reads }).toEqual({
      refreshed: undefined,
      reads: 2,
    });
  });

  it('propagates a failed read as SigningKeysUnavailableError', async () => {
    const { ring, secret } = keyRing();
    secret.failWith();
    await expect(ring.current()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
  });

  it('shares one read among concurrent first requests', async () => {
    const { ring, secret } = keyRing('key-1');
    const keys = await Promise.all([ring.current(), ring.current(), ring.current()]);
    expect({ keys, reads: secret.reads }).toEqual({
      keys: [['key-1'], ['key-1'], ['key-1']],
      reads: 1,
    });
  });

  it('lets a refresh during a read share that read', async () => {
    const { ring, secret } = keyRing('key-1');
    const [current, refreshed] = await Promise.all([ring.current(), ring.refresh()]);
    expect({ current, refreshed, reads: secret.reads }).toEqual({
      current: ['key-1'],
      refreshed: ['key-1'],
      reads: 1,
    });
  });

  it('does not read again within the interval after a first read failed', async () => {
    const { ring, secret, clock } = keyRing();
    secret.failWith();
    await expect(ring.current()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    secret.heal();
    clock.advance(INTERVAL_MS - 1);
    await expect(ring.current()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    expect(secret.reads).toBe(1);
  });

  it('reads again once the interval after a failed first read has passed', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    secret.failWith();
    await expect(ring.current()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    secret.heal();
    clock.advance(INTERVAL_MS);
    expect(await ring.current()).toEqual(['key-1']);
  });

  it('counts a failed read toward the interval', async () => {
    const { ring, secret, clock } = keyRing();
    await ring.current();
    clock.advance(INTERVAL_MS);
    secret.failWith();
    await expect(ring.refresh()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    secret.heal();
    clock.advance(INTERVAL_MS - 1);
    expect({ refreshed: await ring.refresh(), reads: secret.reads }).toEqual({
      refreshed: undefined,
      reads: 2,
    });
  });

  it('keeps the cached keys when a refresh fails', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    await ring.current();
    clock.advance(INTERVAL_MS);
    secret.failWith();
    await expect(ring.refresh()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    expect(await ring.current()).toEqual(['key-1']);
  });

  it('counts an unparsable secret as a failed read toward the interval', async () => {
    const { ring, secret, clock } = keyRing('key-1');
    await ring.current();
    clock.advance(INTERVAL_MS);
    secret.rotate('[broken');
    await expect(ring.refresh()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
  });
});

describe('SigningKeyRing.prefetch', () => {
  it('reads the keys ahead of the first request, which then reads nothing', async () => {
    const { secret, ring } = keyRing('key-1');
    ring.prefetch();
    expect({ keys: await ring.current(), reads: secret.reads }).toEqual({
      keys: ['key-1'],
      reads: 1,
    });
  });

  it('does not count a failed prefetch as a read: the first request reads again at once', async () => {
    const { secret, ring } = keyRing('key-1');
    secret.failWith();
    ring.prefetch();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    secret.heal();
    expect({ keys: await ring.current(), reads: secret.reads }).toEqual({
      keys: ['key-1'],
      reads: 2,
    });
  });
});
