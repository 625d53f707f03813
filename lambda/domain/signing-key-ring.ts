import { SigningKeysUnavailableError } from '../errors.ts';
import type { SecretReader } from './ports.ts';

/**
 * Parses a secret value: one API key, or a JSON array of keys (current and
 * previous, while a key is rotated). Blank entries are dropped.
 */
export function parseSigningKeys(secretString: string): string[] {
  const trimmed = secretString.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (cause) {
      throw new SigningKeysUnavailableError('signing secret is not a valid JSON array of keys', {
        cause,
      });
    }
    if (!Array.isArray(parsed) || !parsed.every((key) => typeof key === 'string')) {
      throw new SigningKeysUnavailableError('signing secret must be a key or a JSON array of keys');
    }
    return parsed.map((key: string) => key.trim()).filter((key) => key.length > 0);
  }
  return trimmed.length > 0 ? [trimmed] : [];
}

/**
 * The signing keys, cached for the life of the container. After a failed
 * verification the secret may be re-read, at most once per `refreshIntervalMs`
 * (failed reads count too), so a rotated key works without a redeploy while a
 * flood of forged requests cannot turn into a flood of Secrets Manager calls.
 */
export class SigningKeyRing {
  private keys: readonly string[] | undefined;
  private lastReadAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly secret: SecretReader,
    private readonly refreshIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached keys, reading the secret on first use. */
  async current(): Promise<readonly string[]> {
    return this.keys ?? this.read();
  }

  /** Re-reads the secret if the last read is older than the interval; otherwise `undefined`. */
  async refresh(): Promise<readonly string[] | undefined> {
    if (this.now() - this.lastReadAtMs < this.refreshIntervalMs) return undefined;
    return this.read();
  }

  private async read(): Promise<readonly string[]> {
    this.lastReadAtMs = this.now();
    const keys = parseSigningKeys(await this.secret.read());
    this.keys = keys;
    return keys;
  }
}
