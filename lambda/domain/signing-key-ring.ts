import { SigningKeysUnavailableError } from '../errors.ts';
import type { SecretReader } from './ports.ts';

/**
 * Parses a secret value: one API key, or a JSON array of keys (current and
 * previous, while a key is rotated). Blank entries are dropped.
 *
 * @throws SigningKeysUnavailableError when the value holds no key or is a
 *   malformed array. The error never carries the parser's message: it quotes
 *   the text around the fault, which would put key material in the logs.
 */
export function parseSigningKeys(secretString: string): string[] {
  const trimmed = secretString.trim();
  let keys: string[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new SigningKeysUnavailableError('signing secret is not a valid JSON array of keys');
    }
    if (!Array.isArray(parsed) || !parsed.every((key) => typeof key === 'string')) {
      throw new SigningKeysUnavailableError('signing secret must be a key or a JSON array of keys');
    }
    keys = parsed.map((key: string) => key.trim()).filter((key) => key.length > 0);
  } else {
    keys = trimmed.length > 0 ? [trimmed] : [];
  }
  if (keys.length === 0) throw new SigningKeysUnavailableError('signing secret holds no key');
  return keys;
}

/**
 * The signing keys, cached for the life of the container. The secret is read
 * at most once per `refreshIntervalMs` (failed reads count too): after a failed
 * verification, so a rotated key works without a redeploy, and after a failed
 * read, so that neither an outage nor a flood of forged requests turns into a
 * flood of Secrets Manager calls.
 */
export class SigningKeyRing {
  private keys: readonly string[] | undefined;
  private lastReadAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly secret: SecretReader,
    private readonly refreshIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The cached keys, reading the secret when none are cached.
   *
   * @throws SigningKeysUnavailableError when the read fails, or when none are
   *   cached and the last failed read is more recent than the interval.
   */
  async current(): Promise<readonly string[]> {
    if (this.keys !== undefined) return this.keys;
    if (!this.mayRead()) {
      throw new SigningKeysUnavailableError(
        'signing secret unavailable; waiting before reading it again',
      );
    }
    return this.read();
  }

  /** Re-reads the secret if the last read is older than the interval; otherwise `undefined`. */
  async refresh(): Promise<readonly string[] | undefined> {
    return this.mayRead() ? this.read() : undefined;
  }

  private mayRead(): boolean {
    return this.now() - this.lastReadAtMs >= this.refreshIntervalMs;
  }

  private async read(): Promise<readonly string[]> {
    this.lastReadAtMs = this.now();
    const keys = parseSigningKeys(await this.secret.read());
    this.keys = keys;
    return keys;
  }
}
