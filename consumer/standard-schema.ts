/**
 * The event as a Standard Schema (https://standardschema.dev), for
 * Powertools' parser and any other library that takes one. Hand-written, with
 * no dependency: Zod would add tens of kilobytes to every consumer's bundle for
 * checks the validator already makes. Powertools' envelopes (`SqsEnvelope`,
 * `SnsSqsEnvelope`, `SnsEnvelope`) call a schema's `parse` and `safeParse` with
 * the message text, so the object has both as well, and accepts the event as
 * an object or as JSON text.
 */
import type { ApideckEventError } from './errors.ts';
import type { ApideckEvent } from './events.ts';
import { parseEventOnly } from './parse-event.ts';

/** One issue, as Standard Schema reports it. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: readonly PropertyKey[] | undefined;
}

/** A Standard Schema v1 result. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

/** The Standard Schema v1 interface (its types copied, as the specification invites). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The result of {@link ApideckEventSchema.safeParse}. */
export type SafeParseResult =
  | { readonly success: true; readonly data: ApideckEvent }
  | { readonly success: false; readonly error: ApideckEventError };

/** The event schema: a Standard Schema with Zod-style `parse` and `safeParse`. */
export interface ApideckEventSchema extends StandardSchemaV1<unknown, ApideckEvent> {
  /** The event, validated; throws {@link ApideckEventError} (with `issues`) otherwise. */
  parse(input: unknown): ApideckEvent;
  /** The event, validated, or the error; never throws. */
  safeParse(input: unknown): SafeParseResult;
}

function safeParse(input: unknown): SafeParseResult {
  try {
    return { success: true, data: parseEventOnly(input) };
  } catch (error) {
    return { success: false, error: error as ApideckEventError };
  }
}

function issuesOf(error: ApideckEventError): readonly StandardSchemaIssue[] {
  return error.issues.map((issue) => ({
    message: `${issue.path.join('.')} ${issue.message}`.trim(),
    path: issue.path,
  }));
}

/**
 * The published event (the message itself, as an object or as JSON text) as a
 * schema for Powertools' parser:
 *
 * ```ts
 * import { parse } from '@aws-lambda-powertools/parser';
 * import { SqsEnvelope } from '@aws-lambda-powertools/parser/envelopes/sqs';
 * const events = parse(sqsEvent, SqsEnvelope, apideckEventSchema); // ApideckEvent[]
 * ```
 */
export const apideckEventSchema: ApideckEventSchema = {
  '~standard': {
    version: 1,
    vendor: 'apideck-webhooks-aws',
    validate(value: unknown): StandardSchemaResult<ApideckEvent> {
      const result = safeParse(value);
      return result.success ? { value: result.data } : { issues: issuesOf(result.error) };
    },
  },
  parse: parseEventOnly,
  safeParse,
};
