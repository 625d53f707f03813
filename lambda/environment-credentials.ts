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

/** The SDK's default chain reads credentials again this long before they expire (`credential-provider-node`). */
const REFRESH_BEFORE_EXPIRY_MS = 300_000;

type Credentials = Awaited<ReturnType<CredentialProvider>>;

function expiresSoon(credentials: Credentials, nowMs: number): boolean {
  return (
    credentials.expiration !== undefined &&
    credentials.expiration.getTime() - nowMs < REFRESH_BEFORE_EXPIRY_MS
  );
}

/**
 * Same signature as the SDK's `defaultProvider`: what the clients' runtime
 * config calls, before every request. Like the default chain, it keeps what
 * it read and reads again only when asked to refresh or when the credentials
 * carry an expiry less than five minutes away: reading the environment and
 * building the identity on every call cost about 25 µs a call. A failed read
 * is not kept, so each call without credentials fails with the same error.
 */
export function defaultProvider(init: Parameters<typeof fromEnv>[0] = {}): CredentialProvider {
  const fromEnvironment = fromEnv(init);
  let credentials: Credentials | undefined;
  return async (options) => {
    if (
      credentials === undefined ||
      options?.forceRefresh === true ||
      expiresSoon(credentials, Date.now())
    ) {
      try {
        credentials = await fromEnvironment(options);
      } catch (error) {
        credentials = undefined;
        throw new MissingEnvironmentCredentialsError(error);
      }
    }
    return credentials;
  };
}
