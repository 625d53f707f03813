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
import { SIGNATURE_HEADER } from '../../../lambda/contract/http.ts';
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
/** Names that are not the signature header and must never be read as it. */
const LOOKALIKE_NAMES = [
  'x-apideck-signature ',
  ' x-apideck-signature',
  'x-apideck_signature',
  'x-apideck-signatures',
  'apideck-signature',
  'x-apideck-signature\u0000',
] as const;

/** One property, what it states, and its cases' answers so far (`"401 unauthorized"`: count). */
export interface HostileProperty {
  readonly name: string;
  readonly states: string;
  readonly answers: Readonly<Record<string, number>>;
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

/** `compute()`, or `undefined` when it throws: many bodies are not JSON, or too deep to serialise. */
function attempt<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// The oracle

function hmac(key: string, message: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** The body bytes the receiver sees (of an event, or of a body about to be one): base64-decoded when API Gateway says so. */
export function bodyBytes(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Every message a valid signature may cover: the raw bytes and the canonical forms. */
function signedMessages(bytes: Buffer): (Buffer | string)[] {
  const parsed = attempt((): unknown => JSON.parse(bytes.toString('utf8')));
  if (parsed === undefined) return [bytes];
  const forms = [canonicalJson, referenceCanonicalJson].map((form) => attempt(() => form(parsed)));
  return [bytes, ...forms.filter((message) => message !== undefined)];
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
  const named = (map: Readonly<Record<string, unknown>> | null): unknown[] =>
    Object.entries(map ?? {}).flatMap(([name, value]) =>
      name.toLowerCase() === SIGNATURE_HEADER ? [value] : [],
    );
  const lists = named(event.multiValueHeaders).flatMap((list) => (Array.isArray(list) ? list : []));
  return [...named(event.headers), ...lists].filter((value) => typeof value === 'string');
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

/** Lowercase hex of `minLength` to `maxLength` digits. */
const hex = (minLength: number, maxLength = minLength): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength, maxLength });

/** An event's body with `json` (raw text: too deep or too large to build as a value) as payload field `field`. */
const eventWith = (id: string, field: string, json: string): string =>
  `{"payload":{"event_type":"vault.connection.created","event_id":"${id}","occurred_at":"2026-11-26T12:00:00.000Z","${field}":${json}}}`;

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
    return inEvent ? eventWith(`deep-${depth}`, 'deep', nested) : nested;
  });

/** A string of 100 KB to 300 KB, alone or inside an event's payload (body or SNS limit). */
const hugeJson = fc
  .record({
    size: fc.integer({ min: 100_000, max: 300_000 }),
    fill: fc.constantFrom('x', 'é', '€', '😀', '\\u0000', '\\"'),
    inEvent: fc.boolean(),
  })
  .map(({ size, fill, inEvent }) => {
    const blob = `"${fill.repeat(Math.max(1, Math.floor(size / Buffer.byteLength(fill))))}"`;
    return inEvent ? eventWith(`huge-${size}`, 'blob', blob) : blob;
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
  text('JSON', fc.json({ maxDepth: 5 })),
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

/** How a digest goes into the header: the encodings the receiver accepts, and hex it must trim. */
const ENCODINGS = {
  hex: (digest) => digest.toString('hex'),
  HEX: (digest) => digest.toString('hex').toUpperCase(),
  base64: (digest) => digest.toString('base64'),
  'base64-unpadded': (digest) => digest.toString('base64').replace(/=+$/, ''),
  base64url: (digest) => digest.toString('base64url'),
  'padded-hex': (digest) => `  ${digest.toString('hex')}\t`,
} satisfies Record<string, (digest: Buffer) => string>;

type Encoding = keyof typeof ENCODINGS;

const encodings = fc.constantFrom(...(Object.keys(ENCODINGS) as Encoding[]));

/** Where and how a valid signature is sent. */
interface Signing {
  /** The header's name, in any case. */
  readonly spelling: string;
  readonly where: 'headers' | 'multiValueHeaders' | 'both';
  /** Over the canonical form of a JSON body, else over the raw bytes. */
  readonly canonical: boolean;
  readonly encoding: Encoding;
}

const placement = {
  spelling: fc.mixedCase(fc.constant(SIGNATURE_HEADER)),
  where: fc.constantFrom('headers', 'multiValueHeaders', 'both'),
} as const;

const signing: fc.Arbitrary<Signing> = fc.record({
  ...placement,
  canonical: fc.boolean(),
  encoding: encodings,
});

/** A valid signature of `bytes` under the key, as `how` says (raw bytes when not JSON, or too deep). */
function validSignature(bytes: Buffer, how: Signing): string {
  const canonical = how.canonical
    ? attempt(() => canonicalJson(JSON.parse(bytes.toString('utf8'))))
    : undefined;
  return ENCODINGS[how.encoding](hmac(KEY, canonical ?? bytes));
}

/** Signatures that must not verify for a body (unless the oracle says they happen to). */
function invalidSignature(bytes: Buffer): fc.Arbitrary<string> {
  const right = hmac(KEY, bytes);
  const other = hmac(KEY, Buffer.concat([bytes, Buffer.from('x')]));
  return fc.oneof(
    fc.constantFrom('', ' ', '\t', 'null', 'undefined', 'sha256=', '0'),
    hex(64),
    fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((random) => ENCODINGS.base64(Buffer.from(random))),
    hex(1, 63),
    hex(65, 130),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.integer({ min: 1_000, max: 20_000 }).map((size) => 'a'.repeat(size)),
    encodings.map((encoding) => ENCODINGS[encoding](hmac(WRONG_KEY, bytes))),
    encodings.map((encoding) => `sha256=${ENCODINGS[encoding](right)}`),
    encodings.map((encoding) => ENCODINGS[encoding](other)),
    fc.constant(ENCODINGS.hex(right).slice(0, 63)),
    fc.constant(`${ENCODINGS.hex(right)}0`),
    fc.constant(ENCODINGS.base64(right).replace(/[A-Z]/, '!')),
  );
}

/** Signature headers, each with its values (the last one is the single-value map's). */
type SignatureHeaders = readonly (Pick<Signing, 'spelling' | 'where'> & {
  readonly values: readonly string[];
})[];

/** The event: signature headers beside other headers and lookalikes, and maps null when there are none. */
function assembleEvent(
  body: Body,
  signatures: SignatureHeaders,
  others: Readonly<Record<string, string>> = {},
  nullMaps = false,
): APIGatewayProxyEvent {
  const headers: Record<string, string | undefined> = { ...others };
  const multiValueHeaders: Record<string, string[] | undefined> = {};
  for (const [name, value] of Object.entries(others)) multiValueHeaders[name] = [value];
  for (const { spelling, where, values } of signatures) {
    if (where !== 'multiValueHeaders') headers[spelling] = values.at(-1);
    if (where !== 'headers') multiValueHeaders[spelling] = [...values];
  }
  const { body: text, isBase64Encoded } = body;
  const event = apiGatewayEvent({ body: text, isBase64Encoded, headers, multiValueHeaders });
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
  .chain((names) => fc.record(Object.fromEntries(names.map((name) => [name, hex(64)]))));

/** An event carrying one valid signature of its body, made as `how` says, beside `others`. */
function signedEvent(
  body: Body,
  how: Signing,
  others: Readonly<Record<string, string>> = {},
): APIGatewayProxyEvent {
  const values = [validSignature(bodyBytes(body), how)];
  return assembleEvent(body, [{ ...how, values }], others);
}

/** Requests whose signature headers (if any) were not made with the key for the body. */
export const unsignedRequest: fc.Arbitrary<HostileCase> = anyBody.chain((body) =>
  fc
    .record({
      signatures: fc.array(
        fc.record({
          ...placement,
          values: fc.array(invalidSignature(bodyBytes(body)), { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 3 },
      ),
      others: otherHeaders,
      lookalikes: lookalikeHeaders,
      nullMaps: fc.boolean(),
    })
    .map(({ signatures, others, lookalikes, nullMaps }) => ({
      label: `${body.label}, ${signatures.length} signature header(s), none valid`,
      event: assembleEvent(body, signatures, { ...others, ...lookalikes }, nullMaps),
      signed: false,
    })),
);

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
    how: fc.record({ ...placement, canonical: fc.constant(true), encoding: encodings }),
  })
  .map(({ proto, ctor, id, how }) => {
    const rest = JSON.stringify({ ...buildEvent().payload, event_id: id }).slice(1);
    const body = `{"payload":{"__proto__":${JSON.stringify(proto)},"constructor":${JSON.stringify(ctor)},${rest},"__proto__":{"polluted":true}}`;
    return {
      label: '__proto__ and constructor keys in a valid event',
      event: signedEvent({ body, isBase64Encoded: false, label: '' }, how),
      signed: true,
      publishable: true,
    };
  });

// ---------------------------------------------------------------------------
// The check of one case

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** Answers that claim nothing: the store must not have been written to. */
const WRITES_NOTHING = [
  'ignored',
  'invalid_json',
  'invalid_envelope',
  'outside_replay_window',
  'too_large',
  'unauthorized',
];

function fail(kase: HostileCase, response: APIGatewayProxyResult | undefined, why: string): never {
  const shown =
    response === undefined ? '' : ` (answer ${response.statusCode} ${response.body.slice(0, 200)})`;
  throw new Error(`${kase.label}: ${why}${shown}`);
}

/**
 * Runs one case against a fresh handler and checks every invariant; throws on a violation.
 * `answered` hears the answer (`"401 unauthorized"`) before the invariants are checked.
 */
export async function checkCase(
  kase: HostileCase,
  answered: (answer: string) => void = () => {},
): Promise<void> {
  const harness = createDeliveryHarness();
  const lines: string[] = [];
  const handle = createApiGatewayHandler({
    receive: harness.receive,
    metricsNamespace: 'Reliability/HostileInput',
    sink: (line) => lines.push(line),
    now: harness.clock.now,
  });
  const response = await handle(kase.event, fakeLambdaContext()).catch((error: unknown) =>
    fail(
      kase,
      undefined,
      `the handler threw: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  const must: (ok: boolean, why: string) => asserts ok = (ok, why) => {
    if (!ok) fail(kase, response, why);
  };
  must(response.statusCode < 500, 'a 5xx answer');
  const answer = attempt(() => ({
    status: (JSON.parse(response.body) as { status?: unknown }).status,
  }));
  must(answer !== undefined, 'the answer is not JSON');
  const { status } = answer;
  must(typeof status === 'string', 'the answer has no string status');

  const published = harness.publisher.published.length;
  const attempted = harness.publisher.attempts > 0;
  const stored = harness.store.calls.length > 0;
  answered(`${response.statusCode} ${status}`);

  const valid = carriesValidSignature(kase.event);
  if (!valid) {
    must(!attempted, 'published without a valid signature');
    must(!stored, 'wrote to the store without a valid signature');
    must([401, 413].includes(response.statusCode), 'not refused (401) without a valid signature');
  }
  if (kase.signed) {
    must(valid, 'the oracle finds no valid signature in a signed case');
    const tooLarge = bodyBytes(kase.event).byteLength > DEFAULT_POLICY.maxBodyBytes;
    must(tooLarge || response.statusCode !== 401, 'a valid signature was refused');
  }
  if (status === 'published') must(published === 1, `published ${published} times`);
  else must(!attempted, 'published, yet not answered published');
  must(!(WRITES_NOTHING.includes(status) && stored), `answered ${status} but wrote to the store`);
  if (kase.unpublishable) {
    must(published === 0 && !stored, 'an invalid envelope was claimed or published');
  }
  if (kase.publishable) {
    must(status === 'published' && published === 1, 'a valid event was not published once');
    const sent = JSON.parse(bodyBytes(kase.event).toString('utf8')) as { payload: unknown };
    const message = harness.publisher.published[0]?.message.body ?? '';
    must(
      canonicalJson(JSON.parse(message)) === canonicalJson(sent.payload),
      'the published message differs from the payload sent',
    );
  }

  const log = lines.join('\n');
  must(leakedFragments(log, KEY, 8).length === 0, 'a log line carries the key');
  for (const value of signatureValues(kase.event).map((raw) => raw.trim())) {
    must(value.length < 16 || !log.includes(value), 'a log line carries the signature');
  }
  must(!response.body.includes(KEY), 'the answer carries the key');
  must(
    Object.getOwnPropertyNames(Object.prototype).sort().join(',') === PROTOTYPE_NAMES,
    'Object.prototype was changed',
  );
  must(({} as Record<string, unknown>).polluted === undefined, 'Object.prototype was polluted');
}

// ---------------------------------------------------------------------------
// The properties

const PROPERTIES: readonly (readonly [string, string, fc.Arbitrary<HostileCase>])[] = [
  [
    'unsigned or wrongly signed requests',
    'any body; signature headers missing, garbage, for another body, with another key, under lookalike names: 401 (or 413), nothing published or written',
    unsignedRequest,
  ],
  [
    'validly signed hostile bodies',
    'any body (deep, huge, __proto__ keys, invalid UTF-8, malformed base64), validly signed: never 401, never 5xx, published only as a valid event',
    signedRequest,
  ],
  [
    'signed envelopes with wrong-typed fields',
    'event_id, event_type, occurred_at of wrong types or values, payload or body not an object: 200 ignored or 4xx, never claimed or published',
    wrongTypedEnvelope,
  ],
  [
    'valid events with prototype keys',
    '__proto__ and constructor keys in a valid payload: published once, exactly as sent; Object.prototype untouched',
    prototypeKeyEvent,
  ],
];

/** The properties, each checking {@link checkCase} over its own arbitrary and counting the answers. */
export function hostileInputProperties(): HostileProperty[] {
  return PROPERTIES.map(([name, states, arbitrary]) => {
    const answers: Record<string, number> = {};
    const count = (answer: string): void => {
      answers[answer] = (answers[answer] ?? 0) + 1;
    };
    return {
      name,
      states,
      answers,
      property: fc.asyncProperty(arbitrary, (kase) => checkCase(kase, count)),
    };
  });
}
