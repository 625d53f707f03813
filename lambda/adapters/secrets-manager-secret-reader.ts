import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CallOptions } from '../domain/deadline.ts';
import type { SecretReader } from '../domain/ports.ts';
import { SigningKeysUnavailableError } from '../errors.ts';
import { callWithin } from './call-within.ts';

/** Without a budget (tests, tools) a read may take this long in all. */
const DEFAULT_TIMEOUT_MS = 5_000;

/** {@link SecretReader} on Secrets Manager: the `SecretString` of the current version. */
export class SecretsManagerSecretReader implements SecretReader {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async read(options?: CallOptions): Promise<string> {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await callWithin(
        options?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        (abortSignal) =>
          this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }), { abortSignal }),
      ));
    } catch (error) {
      throw new SigningKeysUnavailableError('reading the signing secret failed', { cause: error });
    }
    if (secretString === undefined) {
      throw new SigningKeysUnavailableError('the signing secret has no SecretString');
    }
    return secretString;
  }
}
