/** Whether a parsed JSON value is an object (not `null`, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body parsed as JSON once, shared by verification and parsing. */
export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Parses a body as JSON; never throws (invalid or pathologically deep JSON gives `ok: false`). */
export function parseJsonBody(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
