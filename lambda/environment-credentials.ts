/**
 * The function's bundle resolves `@aws-sdk/credential-provider-node` to this
 * module (an esbuild alias in `scripts/handler-bundle.ts`), in place of the
 * SDK's default chain (environment, SSO, INI files, process, web identity,
 * container and instance metadata: about 95 KB of code and their STS/SSO
 * clients). Lambda hands a function its role's credentials in environment
 * variables, so the environment is the only link the function ever uses.
 * Everything else (tests, the dev server) keeps the SDK's default chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type CredentialProvider = ReturnType<typeof fromEnv>;

/** The variables Lambda sets from the execution role (the session token too). */
export const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** No credentials in the environment: the bundle runs somewhere that is not Lambda. */
export class MissingEnvironmentCredentialsError extends Error {
  override readonly name = 'MissingEnvironmentCredentialsError';

  constructor(cause: unknown) {
    super(
      `no AWS credentials: ${CREDENTIAL_VARIABLES.join(' and ')} must be set (Lambda sets them from the execution role; this bundle reads no other source)`,
      { cause },
    );
  }
}

/** Same signature as the SDK's `defaultProvider`: what the clients' runtime config calls. */
export function defaultProvider(init: Parameters<typeof fromEnv>[0] = {}): CredentialProvider {
  const fromEnvironment = fromEnv(init);
  return async () => {
    try {
      return await fromEnvironment();
    } catch (error) {
      throw new MissingEnvironmentCredentialsError(error);
    }
  };
}
