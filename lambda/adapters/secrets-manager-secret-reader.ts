import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CallOptions } from '../domain/deadline.ts';
import type { SecretReader } from '../domain/ports.ts';
import { SigningKeysUnavailableError } from '../errors.ts';
import { budgetMs, callWithin } from './call-within.ts';

/** {@link SecretReader} on Secrets Manager: the `SecretString` of the current version. */
export class SecretsManagerSecretReader implements SecretReader {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async read(options?: CallOptions): Promise<string> {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await callWithin(budgetMs(options), (abortSignal) =>
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
