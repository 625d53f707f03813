import type { EventIssue } from './validate-event.ts';

/**
 * The input was not a valid Apideck event (nor a record or notification that
 * carries one). The message says what was wrong; `issues` lists each problem
 * with the path of the field (empty for the input as a whole), and `cause`
 * holds the underlying error (a JSON syntax error, for one).
 */
export class ApideckEventError extends Error {
  override readonly name = 'ApideckEventError';
  /** Each problem, with the path of its field (empty for the input as a whole). */
  readonly issues: readonly EventIssue[];

  constructor(message: string, options: { cause?: unknown; issues?: readonly EventIssue[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.issues = options.issues ?? [{ path: [], message }];
  }
}
