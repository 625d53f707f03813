import { SigningKeysUnavailableError } from '../errors.ts';
import type { CallOptions } from './deadline.ts';
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
 * The signing keys, cached per container and re-read at most once per
 * `refreshIntervalMs` (failed reads count too):
 * - when the cached keys are older than the interval, so a key removed from
 *   the secret stops being accepted within the interval;
 * - after a failed verification, so a newly added key works without a redeploy;
 * - after a failed read, so that neither an outage nor a flood of forged
 *   requests turns into a flood of Secrets Manager calls.
 */
export class SigningKeyRing {
  private keys: readonly string[] | undefined;
  private lastReadAtMs = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<readonly string[]> | undefined;

  constructor(
    private readonly secret: SecretReader,
    private readonly refreshIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The current keys: cached ones while fresh, otherwise re-read. When a
   * re-read fails the stale keys are served (an outage of Secrets Manager must
   * not stop verification); with no keys at all the failure propagates.
   *
   * @throws SigningKeysUnavailableError when no keys are cached and the secret
   *   cannot be read, or was read (and failed) within the interval.
   */
  async current(options?: CallOptions): Promise<readonly string[]> {
    if (this.inFlight !== undefined) return this.keys ?? this.inFlight;
    if (!this.mayRead()) {
      if (this.keys !== undefined) return this.keys;
      throw new SigningKeysUnavailableError(
        'signing secret unavailable; waiting before reading it again',
      );
    }
    if (this.keys === undefined) return this.read(options);
    const cached = this.keys;
    return this.read(options).catch(() => cached);
  }

  /**
   * Starts the first read ahead of the first request (at cold start), off its
   * path. A failed prefetch does not count as a read: the first request reads
   * again at once instead of waiting out the refresh interval.
   */
  prefetch(options?: CallOptions): void {
    if (this.keys !== undefined || this.inFlight !== undefined) return;
    this.read(options).catch(() => {
      if (this.keys === undefined) this.lastReadAtMs = Number.NEGATIVE_INFINITY;
    });
  }

  /** Re-reads the secret if the last read is older than the interval; otherwise `undefined`. */
  async refresh(options?: CallOptions): Promise<readonly string[] | undefined> {
    if (this.inFlight !== undefined) return this.inFlight;
    return this.mayRead() ? this.read(options) : undefined;
  }

  private mayRead(): boolean {
    return this.now() - this.lastReadAtMs >= this.refreshIntervalMs;
  }

  /**
   * One read at a time: requests that arrive while a read is under way share
   * it, instead of finding the interval just started and no keys yet.
   */
  private read(options: CallOptions | undefined): Promise<readonly string[]> {
    if (this.inFlight === undefined) {
      this.lastReadAtMs = this.now();
      this.inFlight = this.secret
        .read(options)
        .then((secretString) => {
          this.keys = parseSigningKeys(secretString);
          return this.keys;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }
}
