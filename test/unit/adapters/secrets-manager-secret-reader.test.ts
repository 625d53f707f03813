import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretsManagerSecretReader } from '../../../lambda/adapters/secrets-manager-secret-reader.ts';
import { SigningKeysUnavailableError } from '../../../lambda/errors.ts';
import { mockSdkClient, sentCommand } from '../../support/aws-sdk-mocks.ts';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:apideck-AbCdEf';

function reader() {
  const { client, send } = mockSdkClient<SecretsManagerClient>();
  return { send, reader: new SecretsManagerSecretReader(client, SECRET_ID) };
}

describe('SecretsManagerSecretReader', () => {
  it('reads the current version of the secret by its id', async () => {
    const { send, reader: subject } = reader();
    send.mockResolvedValueOnce({ SecretString: 'sk_live_abc' });
    await subject.read();
    expect(sentCommand(send, 0, GetSecretValueCommand).input).toEqual({ SecretId: SECRET_ID });
  });

  it('resolves to the SecretString as stored', async () => {
    const { send, reader: subject } = reader();
    send.mockResolvedValueOnce({ SecretString: ' ["sk_new","sk_old"] ' });
    expect(await subject.read()).toBe(' ["sk_new","sk_old"] ');
  });

  it('wraps an SDK error in SigningKeysUnavailableError (SecretsManager) with the cause', async () => {
    const { send, reader: subject } = reader();
    const cause = new ResourceNotFoundException({ message: 'not found', $metadata: {} });
    send.mockRejectedValueOnce(cause);
    const failed = subject.read();
    await expect(failed).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    await expect(failed).rejects.toMatchObject({ dependency: 'SecretsManager', cause });
  });

  it('rejects a secret without a SecretString (binary secret)', async () => {
    const { send, reader: subject } = reader();
    send.mockResolvedValueOnce({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(subject.read()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
  });
});
