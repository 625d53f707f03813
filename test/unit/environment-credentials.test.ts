import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  defaultProvider,
  MissingEnvironmentCredentialsError,
} from '../../lambda/environment-credentials.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');

function setCredentials(accessKeyId: string, expiration?: Date): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', `secret-of-${accessKeyId}`);
  vi.stubEnv('AWS_SESSION_TOKEN', `token-of-${accessKeyId}`);
  vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', expiration?.toISOString() ?? '');
}

const minutesFromNow = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('environment credentials (the bundle’s defaultProvider)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('reads the key, secret and session token from the environment', async () => {
    setCredentials('AKIAFIRST');
    expect(await defaultProvider()()).toMatchObject({
      accessKeyId: 'AKIAFIRST',
      secretAccessKey: 'secret-of-AKIAFIRST',
      sessionToken: 'token-of-AKIAFIRST',
    });
  });

  it('keeps what it read for later calls, as the default chain does', async () => {
    setCredentials('AKIAFIRST');
    const provider = defaultProvider();
    await provider();
    setCredentials('AKIASECOND');
    expect((await provider()).accessKeyId).toBe('AKIAFIRST');
  });

  it('reads again when the SDK asks for a refresh', async () => {
    setCredentials('AKIAFIRST');
    const provider = defaultProvider();
    await provider();
    setCredentials('AKIASECOND');
    expect((await provider({ forceRefresh: true })).accessKeyId).toBe('AKIASECOND');
  });

  it('reads again when the credentials expire within five minutes', async () => {
    setCredentials('AKIAFIRST', minutesFromNow(4));
    const provider = defaultProvider();
    await provider();
    setCredentials('AKIASECOND', minutesFromNow(60));
    expect((await provider()).accessKeyId).toBe('AKIASECOND');
  });

  it('keeps credentials that expire later than five minutes from now', async () => {
    setCredentials('AKIAFIRST', minutesFromNow(6));
    const provider = defaultProvider();
    await provider();
    setCredentials('AKIASECOND', minutesFromNow(60));
    expect((await provider()).accessKeyId).toBe('AKIAFIRST');
  });

  it('reads again once kept credentials come within five minutes of expiring', async () => {
    setCredentials('AKIAFIRST', minutesFromNow(10));
    const provider = defaultProvider();
    await provider();
    setCredentials('AKIASECOND', minutesFromNow(60));
    vi.setSystemTime(minutesFromNow(6));
    expect((await provider()).accessKeyId).toBe('AKIASECOND');
  });

  it('fails with MissingEnvironmentCredentialsError when the key is not set', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    await expect(defaultProvider()()).rejects.toBeInstanceOf(MissingEnvironmentCredentialsError);
  });

  it('keeps no failure: a call after the variables are set succeeds', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    const provider = defaultProvider();
    await expect(provider()).rejects.toThrow(MissingEnvironmentCredentialsError);
    setCredentials('AKIALATER');
    expect((await provider()).accessKeyId).toBe('AKIALATER');
  });
});
