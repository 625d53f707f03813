/**
 * Hostile input, as fast-check properties over the real HTTP-layer handler
 * (`createApiGatewayHandler` around `createDeliveryReceiver`, the real key
 * ring, router and domain, with the in-memory ports of test/support): arbitrary
 * API Gateway events (headers in any case, duplicated, multi-valued, missing;
 * bodies of any text, JSON with `__proto__` and `constructor` keys, nesting
 * up to 10,000 levels, strings up to 300 KB, invalid UTF-8 and malformed
 * base64 with `isBase64Encoded`; signatures valid, garbage, for another body or
 * with another key). For every case:
 *
 * - the handler resolves (never throws) with a status below 500 and a JSON body
 *   with a string `status`;
 * - nothing is published and nothing written to the idempotency store unless a
 *   signature header holds a valid signature of that body under the key (an
 *   oracle computed here, independently of the receiver's verification);
 * - validly signed bodies are never answered 401, and invalid envelopes are
 *   never published;
 * - no log line carries the key, a signature, and `Object.prototype` is untouched.
 *
 * Run by test/reliability/hostile-input.test.ts: a few hundred runs per property
 * in `npm test`, 2,500 each (10,000 in all) in `npm run verify`.
 */
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { canonicalJson } from '../../../lambda/domain/canonical-json.ts';
import { createApiGatewayHandler } from '../../../lambda/http/api-gateway-handler.ts';
import {
  apiGatewayEvent,
  buildEvent,
  fakeLambdaContext,
  VECTOR_KEY,
  wireText,
} from '../../support/apideck-events.ts';
import { referenceCanonicalJson } from '../../support/canonical-reference.ts';
import { createDeliveryHarness, DEFAULT_POLICY } from '../../support/delivery-harness.ts';
import { leakedFragments } from '../../support/leaks.ts';

/** The key the receiver under test holds. */
export const KEY = VECTOR_KEY;
const WRONG_KEY = `${VECTOR_KEY}-but-not-this-one`;
const MAX_BODY_BYTES = DEFAULT_POLICY.maxBodyBytes;
const SIGNATURE_HEADER = 'x-apideck-signature';
const SIGNATURE_SPELLINGS = [
  'x-apideck-signature',
  'X-Apideck-Signature',
  'X-APIDECK-SIGNATURE',
  'x-ApiDeck-sIgNaTuRe',
] as const;
/** Names that are not the signature header and must never be read as it. */
const LOOKALIKE_NAMES = [
  'x-apideck-signature ',
  ' x-apideck-signature',
  'x-apideck_signature',
  'x-apideck-signatures',
  'apideck-signature',
  'x-apideck-signature\u0000',
] as const;

/** What one case came to, for the report's counts. */
export interface Observation {
  readonly property: string;
  readonly statusCode: number;
  readonly status: string;
  readonly published: number;
  readonly stored: boolean;
}

/** One property and what it states. */
export interface HostileProperty {
  readonly name: string;
  readonly states: string;
  readonly property: fc.IAsyncProperty<[HostileCase]>;
}

/** A generated request. */
export interface HostileCase {
  readonly label: string;
  readonly event: APIGatewayProxyEvent;
  /** Whether the case was built to be validly signed. */
  readonly signed: boolean;
  /** Built so that the envelope is not a publishable event (invalid, not an event, out of window). */
  readonly unpublishable?: boolean;
  /** Built to be a valid event: must be published exactly once. */
  readonly publishable?: boolean;
}

// ---------------------------------------------------------------------------
// The oracle

function hmac(key: string, message: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** The body bytes the receiver sees: base64-decoded when API Gateway says so. */
export function bodyBytes(event: APIGatewayProxyEvent): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Every message a valid signature may cover: the raw bytes and the canonical forms. */
function signedMessages(bytes: Buffer): (Buffer | string)[] {
  const messages: (Buffer | string)[] = [bytes];
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return messages;
  }
  for (const canonical of [canonicalJson, referenceCanonicalJson]) {
    try {
      messages.push(canonical(parsed));
    } catch {
      // Too deep for this serialiser.
    }
  }
  return messages;
}

/** Decodes a header value leniently (hex, base64, base64url); a superset of what the receiver accepts. */
function claimedDigests(value: string): Buffer[] {
  const trimmed = value.trim();
  const digests: Buffer[] = [];
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) digests.push(Buffer.from(trimmed, 'hex'));
  for (const encoding of ['base64', 'base64url'] as const) {
    const decoded = Buffer.from(trimmed, encoding);
    if (decoded.length === 32) digests.push(decoded);
  }
  return digests;
}

/** Every value of every header named `x-apideck-signature` (any case), in either map. */
export function signatureValues(event: APIGatewayProxyEvent): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === SIGNATURE_HEADER && typeof value === 'string') values.push(value);
  }
  for (const [name, list] of Object.entries(event.multiValueHeaders ?? {})) {
    if (name.toLowerCase() !== SIGNATURE_HEADER || !Array.isArray(list)) continue;
    for (const value of list) if (typeof value === 'string') values.push(value);
  }
  return values;
}

/** Whether some signature header of the event is a valid signature of its body under `key`. */
export function carriesValidSignature(event: APIGatewayProxyEvent, key: string = KEY): boolean {
  const claims = signatureValues(event).flatMap(claimedDigests);
  if (claims.length === 0) return false;
  const digests = signedMessages(bodyBytes(event)).map((message) => hmac(key, message));
  return claims.some((claim) => digests.some((digest) => digest.equals(claim)));
}

// ---------------------------------------------------------------------------
// Arbitraries

type Body = {
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly label: string;
};

const text = (label: string, arbitrary: fc.Arbitrary<string>): fc.Arbitrary<Body> =>
  arbitrary.map((body) => ({ body, isBase64Encoded: false, label }));

const loneSurrogates = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 50 },
  )
  .map((parts) => parts.join(''));

/** JSON text whose objects carry `__proto__` and `constructor` keys (own keys once parsed). */
const protoJson = fc
  .tuple(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), fc.boolean())
  .map(([a, b, wrapped]) => {
    const inner = `{"__proto__":${JSON.stringify(a)},"constructor":{"prototype":${JSON.stringify(b)}},"polluted":false}`;
    return wrapped ? `{"payload":${inner},"__proto__":{"polluted":true}}` : inner;
  });

/** Nesting of arrays or objects, `depth` levels, optionally inside an event's payload. */
const deepJson = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000 })),
    kind: fc.constantFrom('array', 'object'),
    inEvent: fc.boolean(),
  })
  .map(({ depth, kind, inEvent }) => {
    const nested =
      kind === 'array'
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    if (!inEvent) return nested;
    return `{"payload":{"event_type":"vault.connection.created","event_id":"deep-${depth}","occurred_at":"2026-11-26T12:00:00.000Z","deep":${nested}}}`;
  });

/** A string of 100 KB to 300 KB, alone or inside an event's payload (body or SNS limit). */
const hugeJson = fc
  .record({
    size: fc.integer({ min: 100_000, max: 300_000 }),
    fill: fc.constantFrom('x', 'é', '€', '😀', '\\u0000', '"'),
    inEvent: fc.boolean(),
  })
  .map(({ size, fill, inEvent }) => {
    const unit = fill === '"' ? '\\"' : fill;
    const blob = unit.repeat(Math.max(1, Math.floor(size / Buffer.byteLength(unit))));
    if (!inEvent) return `"${blob}"`;
    return `{"payload":{"event_type":"vault.connection.created","event_id":"huge-${size}","occurred_at":"2026-11-26T12:00:00.000Z","blob":"${blob}"}}`;
  });

/** Bytes that are not UTF-8 (stray continuation bytes, overlongs, truncated sequences), base64-encoded. */
const invalidUtf8 = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom(
        Uint8Array.of(0xff),
        Uint8Array.of(0xfe, 0xff),
        Uint8Array.of(0xc0, 0x80),
        Uint8Array.of(0x80),
        Uint8Array.of(0xe2, 0x82),
        Uint8Array.of(0xf0, 0x9f, 0x98),
        Uint8Array.of(0xed, 0xa0, 0x80),
        Buffer.from('{"payload":{"event_type":"'),
      ),
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((parts) => ({
    body: Buffer.concat(parts.map((part) => Buffer.from(part))).toString('base64'),
    isBase64Encoded: true,
    label: 'invalid UTF-8 (base64)',
  }));

/** Text that is not base64, declared base64. */
const malformedBase64 = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom('====', '=', 'a', 'ab=c', '!!!!', 'e30', 'e30=====', '\u00ff\u00fe', '%%%'),
  )
  .map((body) => ({ body, isBase64Encoded: true, label: 'malformed base64' }));

/** Every kind of body. */
export const anyBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constant({ body: null, isBase64Encoded: false, label: 'no body' }),
  fc.constant({ body: '', isBase64Encoded: false, label: 'empty body' }),
  text('text', fc.string({ unit: 'grapheme', maxLength: 500 })),
  text('lone surrogates', loneSurrogates),
  text(
    'JSON',
    fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)),
  ),
  text(
    'JSON payload',
    fc.jsonValue({ maxDepth: 4 }).map((value) => wireText({ payload: value })),
  ),
  text('__proto__ keys', protoJson),
  text('deep nesting', deepJson),
  text('huge string', hugeJson),
  invalidUtf8,
  malformedBase64,
);

type Encoding = 'hex' | 'HEX' | 'base64' | 'base64-unpadded' | 'base64url' | 'padded-hex';

function encode(digest: Buffer, encoding: Encoding): string {
  switch (encoding) {
    case 'hex':
      return digest.toString('hex');
    case 'HEX':
      return digest.toString('hex').toUpperCase();
    case 'base64':
      return digest.toString('base64');
    case 'base64-unpadded':
      return digest.toString('base64').replace(/=+$/, '');
    case 'base64url':
      return digest.toString('base64url');
    case 'padded-hex':
      return `  ${digest.toString('hex')}\t`;
  }
}

const encodings = fc.constantFrom<Encoding>(
  'hex',
  'HEX',
  'base64',
  'base64-unpadded',
  'base64url',
  'padded-hex',
);

/** A valid signature of `bytes` under `key`: over the raw bytes, or the canonical form when JSON. */
function validSignature(
  bytes: Buffer,
  key: string,
  canonical: boolean,
  encoding: Encoding,
): string {
  let message: Buffer | string = bytes;
  if (canonical) {
    try {
      message = canonicalJson(JSON.parse(bytes.toString('utf8')));
    } catch {
      // Not JSON, or too deep: the raw bytes it is.
    }
  }
  return encode(hmac(key, message), encoding);
}

/** `length` random hex digits. */
function hexString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc
    .record({
      bytes: fc.uint8Array({
        minLength: Math.ceil(maxLength / 2),
        maxLength: Math.ceil(maxLength / 2),
      }),
      length: fc.integer({ min: minLength, max: maxLength }),
    })
    .map(({ bytes, length }) => Buffer.from(bytes).toString('hex').slice(0, length));
}

/** Random 32 bytes, base64 (the shape of a base64 digest). */
const base64Digest = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

/** Signatures that must not verify for a body (unless the oracle says they happen to). */
function invalidSignature(bytes: Buffer): fc.Arbitrary<string> {
  const other = Buffer.concat([bytes, Buffer.from('x')]);
  return fc.oneof(
    fc.constantFrom('', ' ', '\t', 'null', 'undefined', 'sha256=', '0'),
    hexString(64, 64),
    base64Digest,
    hexString(1, 63),
    hexString(65, 130),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.integer({ min: 1_000, max: 20_000 }).map((size) => 'a'.repeat(size)),
    encodings.map((encoding) => encode(hmac(WRONG_KEY, bytes), encoding)),
    encodings.map((encoding) => `sha256=${encode(hmac(KEY, bytes), encoding)}`),
    encodings.map((encoding) => encode(hmac(KEY, other), encoding)),
    fc.constant(encode(hmac(KEY, bytes), 'hex').slice(0, 63)),
    fc.constant(`${encode(hmac(KEY, bytes), 'hex')}0`),
    fc.constant(encode(hmac(KEY, bytes), 'base64').replace(/[A-Z]/, '!')),
  );
}

/** Header maps around the signature headers: other headers, odd names, multi-values, nulls. */
interface Placement {
  readonly spelling: (typeof SIGNATURE_SPELLINGS)[number];
  readonly where: 'headers' | 'multiValueHeaders' | 'both';
}

function assembleEvent(
  body: Body,
  signatures: readonly { placement: Placement; values: readonly string[] }[],
  others: Readonly<Record<string, string>>,
  lookalikes: Readonly<Record<string, string>>,
  nullMaps: boolean,
): APIGatewayProxyEvent {
  const headers: Record<string, string | undefined> = { ...others, ...lookalikes };
  const multiValueHeaders: Record<string, string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) multiValueHeaders[name] = [value];
  }
  for (const { placement, values } of signatures) {
    if (placement.where !== 'multiValueHeaders') headers[placement.spelling] = values.at(-1);
    if (placement.where !== 'headers') multiValueHeaders[placement.spelling] = [...values];
  }
  const event = apiGatewayEvent({
    body: body.body,
    headers,
    multiValueHeaders,
    isBase64Encoded: body.isBase64Encoded,
  });
  if (nullMaps && signatures.length === 0) {
    return { ...event, headers: null, multiValueHeaders: null } as unknown as APIGatewayProxyEvent;
  }
  return event;
}

const otherHeaders = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      'content-type',
      'Content-Length',
      'x-apideck-event-type',
      '__proto__',
      'constructor',
    ),
  ),
  fc.string({ maxLength: 200 }),
  { maxKeys: 6 },
);

const lookalikeHeaders = fc
  .subarray([...LOOKALIKE_NAMES])
  .chain((names) =>
    fc
      .tuple(...names.map(() => hexString(64, 64)))
      .map((values) => Object.fromEntries(names.map((name, index) => [name, values[index] ?? '']))),
  );

const placement: fc.Arbitrary<Placement> = fc.record({
  spelling: fc.constantFrom(...SIGNATURE_SPELLINGS),
  where: fc.constantFrom('headers', 'multiValueHeaders', 'both'),
});

/** Where and how a valid signature is sent. */
const signing = fc.record({ placement, canonical: fc.boolean(), encoding: encodings });

/** An event carrying one valid signature of its body, made as `how` says, beside `others`. */
function signedEvent(
  body: Body,
  how: { placement: Placement; canonical: boolean; encoding: Encoding },
  others: Readonly<Record<string, string>> = {},
): APIGatewayProxyEvent {
  const bytes = bodyBytes(
    apiGatewayEvent({ body: body.body, isBase64Encoded: body.isBase64Encoded }),
  );
  const values = [validSignature(bytes, KEY, how.canonical, how.encoding)];
  return assembleEvent(body, [{ placement: how.placement, values }], others, {}, false);
}

/** Requests whose signature headers (if any) were not made with the key for the body. */
export const unsignedRequest: fc.Arbitrary<HostileCase> = anyBody.chain((body) => {
  const bytes = bodyBytes(
    apiGatewayEvent({ body: body.body, isBase64Encoded: body.isBase64Encoded }),
  );
  return fc
    .record({
      signatures: fc.array(
        fc.record({
          placement,
          values: fc.array(invalidSignature(bytes), { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 3 },
      ),
      others: otherHeaders,
      lookalikes: lookalikeHeaders,
      nullMaps: fc.boolean(),
    })
    .map(({ signatures, others, lookalikes, nullMaps }) => ({
      label: `${body.label}, ${signatures.length} signature header(s), none valid`,
      event: assembleEvent(body, signatures, others, lookalikes, nullMaps),
      signed: false,
    }));
});

/** Every kind of body, with one valid signature header (any spelling, encoding, message form). */
export const signedRequest: fc.Arbitrary<HostileCase> = anyBody.chain((body) =>
  fc.record({ how: signing, others: otherHeaders }).map(({ how, others }) => ({
    label: `${body.label}, signed (${how.canonical ? 'canonical' : 'raw'}, ${how.encoding})`,
    event: signedEvent(body, how, others),
    signed: true,
  })),
);

/** A value of a type the field must not have. */
const wrongTypes = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A payload field set to a value it must not have, or removed (`value` absent). */
interface Mutation {
  readonly field: 'event_id' | 'event_type' | 'occurred_at';
  readonly value?: unknown;
}

const setTo =
  (field: Mutation['field']) =>
  (value: unknown): Mutation => ({ field, value });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.oneof(wrongTypes, fc.constantFrom('', '   ', '\t\n', 'x'.repeat(513))).map(setTo('event_id')),
  fc.constant<Mutation>({ field: 'event_id' }),
  fc.oneof(wrongTypes, fc.constantFrom('', '   ', 'x'.repeat(257))).map(setTo('event_type')),
  fc
    .oneof(
      wrongTypes,
      fc.string({ maxLength: 40 }).filter((value) => !/^\d{4}-\d{2}-\d{2}T/.test(value)),
      fc.constantFrom(
        '',
        '2026-02-30T12:00:00.000Z',
        '2026-11-26',
        '2026-11-26T25:00:00Z',
        '2026-11-26T12:00:00',
        'Thu, 26 Nov 2026 12:00:00 GMT',
        '1999-01-01T00:00:00.000Z',
        '2027-11-26T12:00:00.000Z',
        '+275760-09-13T00:00:00.000Z',
      ),
    )
    .map(setTo('occurred_at')),
  fc.constant<Mutation>({ field: 'occurred_at' }),
);

function mutate(payload: Record<string, unknown>, { field, ...rest }: Mutation): void {
  if ('value' in rest) payload[field] = rest.value;
  else delete payload[field];
}

function describeMutation({ field, ...rest }: Mutation): string {
  return 'value' in rest ? field : `${field} missing`;
}

/** Signed bodies whose envelope is invalid, not an event, or outside the replay window. */
export const wrongTypedEnvelope: fc.Arbitrary<HostileCase> = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
        const payload: Record<string, unknown> = { ...buildEvent().payload };
        for (const change of mutations) mutate(payload, change);
        return { label: mutations.map(describeMutation).join(', '), text: wireText({ payload }) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(wrongTypes, fc.string({ maxLength: 20 }))
        .map((payload) => ({ label: 'payload not an object', text: wireText({ payload }) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(wrongTypes, fc.string({ maxLength: 20 }))
        .map((body) => ({ label: 'body not an object', text: wireText(body) })),
    },
  )
  .chain(({ label, text: body }) =>
    signing.map((how) => ({
      label,
      event: signedEvent({ body, isBase64Encoded: false, label }, how),
      signed: true,
      unpublishable: true,
    })),
  );

/** Valid events whose payload carries `__proto__` / `constructor` keys: published once, as sent. */
export const prototypeKeyEvent: fc.Arbitrary<HostileCase> = fc
  .record({
    proto: fc.jsonValue({ maxDepth: 3 }),
    ctor: fc.jsonValue({ maxDepth: 3 }),
    id: fc.uuid(),
    placement,
    encoding: encodings,
  })
  .map(({ proto, ctor, id, placement: where, encoding }) => {
    const payload = { ...buildEvent().payload, event_id: id };
    const rest = JSON.stringify(payload).slice(1);
    const body = `{"payload":{"__proto__":${JSON.stringify(proto)},"constructor":${JSON.stringify(ctor)},${rest},"__proto__":{"polluted":true}}`;
    return {
      label: '__proto__ and constructor keys in a valid event',
      event: signedEvent(
        { body, isBase64Encoded: false, label: '' },
        { placement: where, canonical: true, encoding },
      ),
      signed: true,
      publishable: true,
    };
  });

// ---------------------------------------------------------------------------
// The check of one case

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

function fail(kase: HostileCase, response: APIGatewayProxyResult | undefined, why: string): never {
  const shown =
    response === undefined ? '' : ` (answer ${response.statusCode} ${response.body.slice(0, 200)})`;
  throw new Error(`${kase.label}: ${why}${shown}`);
}

/** Runs one case against a fresh handler and checks every invariant; throws on a violation. */
export async function checkCase(
  property: string,
  kase: HostileCase,
  observe?: (observation: Observation) => void,
): Promise<void> {
  const harness = createDeliveryHarness();
  const lines: string[] = [];
  const handle = createApiGatewayHandler({
    receive: harness.receive,
    metricsNamespace: 'Reliability/HostileInput',
    sink: (line) => lines.push(line),
    now: harness.clock.now,
  });
  let response: APIGatewayProxyResult;
  try {
    response = await handle(kase.event, fakeLambdaContext());
  } catch (error) {
    fail(
      kase,
      undefined,
      `the handler threw: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!(response.statusCode < 500)) fail(kase, response, 'a 5xx answer');
  let status: unknown;
  try {
    status = (JSON.parse(response.body) as { status?: unknown }).status;
  } catch {
    fail(kase, response, 'the answer is not JSON');
  }
  if (typeof status !== 'string') fail(kase, response, 'the answer has no string status');

  const published = harness.publisher.published.length;
  const stored = harness.store.calls.length > 0;
  observe?.({ property, statusCode: response.statusCode, status, published, stored });

  const valid = carriesValidSignature(kase.event);
  const tooLarge = bodyBytes(kase.event).byteLength > MAX_BODY_BYTES;
  if (!valid) {
    if (harness.publisher.attempts > 0) fail(kase, response, 'published without a valid signature');
    if (stored) fail(kase, response, 'wrote to the store without a valid signature');
    if (response.statusCode !== 401 && response.statusCode !== 413) {
      fail(kase, response, 'not refused (401) without a valid signature');
    }
  }
  if (kase.signed && !valid)
    fail(kase, response, 'the oracle finds no valid signature in a signed case');
  if (kase.signed && !tooLarge && response.statusCode === 401) {
    fail(kase, response, 'a valid signature was refused');
  }
  if (status === 'published') {
    if (published !== 1) fail(kase, response, `published ${published} times`);
  } else if (harness.publisher.attempts > 0) {
    fail(kase, response, 'published, yet not answered published');
  }
  if (
    [
      'ignored',
      'invalid_json',
      'invalid_envelope',
      'outside_replay_window',
      'too_large',
      'unauthorized',
    ].includes(status) &&
    stored
  ) {
    fail(kase, response, `answered ${status} but wrote to the store`);
  }
  if (kase.unpublishable && (published > 0 || stored))
    fail(kase, response, 'an invalid envelope was claimed or published');
  if (kase.publishable) {
    if (status !== 'published' || published !== 1)
      fail(kase, response, 'a valid event was not published once');
    const sent = (JSON.parse(bodyBytes(kase.event).toString('utf8')) as { payload: unknown })
      .payload;
    const message = harness.publisher.published[0]?.message.body ?? '';
    if (canonicalJson(JSON.parse(message)) !== canonicalJson(sent)) {
      fail(kase, response, 'the published message differs from the payload sent');
    }
  }

  const log = lines.join('\n');
  if (leakedFragments(log, KEY, 8).length > 0) fail(kase, response, 'a log line carries the key');
  for (const value of signatureValues(kase.event)) {
    if (value.trim().length >= 16 && log.includes(value.trim())) {
      fail(kase, response, 'a log line carries the signature');
    }
  }
  if (response.body.includes(KEY)) fail(kase, response, 'the answer carries the key');
  if (Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PROTOTYPE_NAMES) {
    fail(kase, response, 'Object.prototype was changed');
  }
  if (({} as Record<string, unknown>).polluted !== undefined)
    fail(kase, response, 'Object.prototype was polluted');
}

// ---------------------------------------------------------------------------
// The properties

/** The properties, each checking {@link checkCase} over its own arbitrary. */
export function hostileInputProperties(
  observe?: (observation: Observation) => void,
): HostileProperty[] {
  const define = (
    name: string,
    states: string,
    arbitrary: fc.Arbitrary<HostileCase>,
  ): HostileProperty => ({
    name,
    states,
    property: fc.asyncProperty(arbitrary, (kase) => checkCase(name, kase, observe)),
  });
  return [
    define(
      'unsigned or wrongly signed requests',
      'any body; signature headers missing, garbage, for another body, with another key, under lookalike names: 401 (or 413), nothing published or written',
      unsignedRequest,
    ),
    define(
      'validly signed hostile bodies',
      'any body (deep, huge, __proto__ keys, invalid UTF-8, malformed base64), validly signed: never 401, never 5xx, published only as a valid event',
      signedRequest,
    ),
    define(
      'signed envelopes with wrong-typed fields',
      'event_id, event_type, occurred_at of wrong types or values, payload or body not an object: 200 ignored or 4xx, never claimed or published',
      wrongTypedEnvelope,
    ),
    define(
      'valid events with prototype keys',
      '__proto__ and constructor keys in a valid payload: published once, exactly as sent; Object.prototype untouched',
      prototypeKeyEvent,
    ),
  ];
}
