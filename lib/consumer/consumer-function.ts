import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Lambda's timeout when a function sets none. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

/** Lambda's longest timeout: a safe bound for a function whose own timeout is unknown. */
export const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);

/**
 * The `lambda.Function` of this app behind a handler: the function itself, or
 * the one an alias or version of this app qualifies; undefined for an
 * imported function, whose configuration the app cannot read or change.
 */
export function definedFunction(handler: lambda.IFunction): lambda.Function | undefined {
  if (handler instanceof lambda.Function) return handler;
  if (handler instanceof lambda.QualifiedFunctionBase) return definedFunction(handler.lambda);
  return undefined;
}

/** A defined function's timeout, Lambda's default when it sets none. */
export function timeoutOf(fn: lambda.Function): Duration {
  return fn.timeout ?? LAMBDA_DEFAULT_TIMEOUT;
}
