/**
 * A `fetch` that checks every Webhook API exchange against Apideck's
 * specification with openapi-backend (ajv): the request the client sent and
 * the answer the stand-in gave. Violations are collected, never swallowed: a
 * test asserts `violations` is empty. `covered` lists `<operationId> <status>`
 * of every validated answer, for the coverage report.
 */
import type { OpenAPIBackend } from 'openapi-backend';
import { loadWebhookApiSpec } from '../../tools/apideck/spec.ts';

/** One exchange that broke the specification. */
export interface SpecViolation {
  readonly operation: string;
  readonly part: 'request' | 'response';
  readonly errors: unknown;
}

/** A checking fetch and what it saw. */
export interface SpecCheckedFetch {
  readonly fetch: typeof fetch;
  readonly violations: SpecViolation[];
  readonly covered: Set<string>;
  /** Removes and returns the violations so far (for a test that sends an invalid request on purpose). */
  takeViolations(): SpecViolation[];
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(
    [...new Headers(init?.headers).entries()].map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** Wraps `fetch` so that every exchange is validated against the Webhook API specification. */
export async function specCheckedFetch(): Promise<SpecCheckedFetch> {
  const spec: OpenAPIBackend = await loadWebhookApiSpec();
  const violations: SpecViolation[] = [];
  const covered = new Set<string>();
  const checked = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const bodyText = typeof init?.body === 'string' ? init.body : undefined;
    const request = {
      method: (init?.method ?? 'GET').toLowerCase(),
      path: url.pathname,
      query: url.search.slice(1),
      headers: headersOf(init),
      ...(bodyText === undefined ? {} : { body: JSON.parse(bodyText) as unknown }),
    };
    const operation = spec.router.matchOperation(request);
    const operationId = operation?.operationId ?? `${request.method} ${url.pathname}`;
    if (operation === undefined) {
      violations.push({ operation: operationId, part: 'request', errors: 'no such operation' });
    } else {
      const result = spec.validateRequest(request, operation);
      if (!result.valid)
        violations.push({ operation: operationId, part: 'request', errors: result.errors });
    }
    const response = await fetch(input, init);
    const text = await response.clone().text();
    if (operation !== undefined) {
      const result = spec.validateResponse(JSON.parse(text) as unknown, operation, response.status);
      if (result.valid) covered.add(`${operationId} ${response.status}`);
      else violations.push({ operation: operationId, part: 'response', errors: result.errors });
    }
    return response;
  };
  return {
    fetch: checked as typeof fetch,
    violations,
    covered,
    takeViolations: () => violations.splice(0, violations.length),
  };
}
