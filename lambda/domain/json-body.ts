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
