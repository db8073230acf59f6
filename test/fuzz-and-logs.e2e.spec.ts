import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { AGENCY_KINDS, DATA_CATEGORIES, PURPOSES, SAFETY_FLAGS, SERVICE_TYPES } from '../libs/consent-policy/index.js';
import {
  AGE_GROUPS,
  CASE_SOURCES,
  CLOSURE_REASONS,
  CONSENT_GRANTORS,
  CONSENT_METHODS,
  DECLINE_REASONS,
  IDENTIFICATION_OUTCOMES,
  INDICATOR_CODES,
  INTERRUPTION_REASONS,
  RISK_LEVELS,
  SCREENING_OUTCOMES,
  URGENCIES,
} from '../libs/domain/index.js';
import { AGE_BANDS, SEXES } from '../src/cases/person.dtos.js';
import { ELIGIBLE_SEXES, SERVICE_STATUSES, SUBCOMMITTEES } from '../src/directory/directory.model.js';
import { eventually, useTestApp } from './support/test-app.js';

/**
 * Two guarantees of the README, checked over HTTP against the real app:
 *  1. bad input gets a clear 4xx application/problem+json and writes nothing, whatever the body.
 *     Checked strictly: 400, or 413 past the 64 KB body limit ("400 for malformed input"). Any
 *     other status means the body was taken for valid input: 2xx, or 409/422 decided on the state.
 *  2. personal data never reaches the logs or an error message.
 *
 * The fuzzed bodies are invalid BY CONSTRUCTION, never by luck: a valid body would rightly succeed
 * and write, so a generator that only usually produces invalid bodies would make the property flaky
 * or would have to be weakened to "4xx or 2xx". Every body below is one of: a valid body with one
 * field given a value its DTO refuses (wrong type, outside the enum, too short or too long, null or
 * missing where required); a body with a field no DTO declares (always named "zz-..." or a name
 * like __proto__ that no DTO declares); a JSON value that is not an object; text that is not JSON;
 * or, for routes that take no body at all, any non-empty body.
 *
 * FUZZ_RUNS (default 40) sets the runs per route; FUZZ_SEED replays a run (failures print the seed).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

// ---------------------------------------------------------------------------------------------
// Bodies

/** A request body exactly as sent, with how it is invalid; printed short, since a 70 KB body would drown a report. */
class Body {
  constructor(
    readonly kind: string,
    readonly text: string,
  ) {}

  toString(): string {
    return `${this.kind}: ${shortened(this.text)} (${this.text.length} chars)`;
  }

  [fc.toStringMethod](): string {
    return this.toString();
  }
}

/** The first 200 characters, control and invisible characters escaped. */
const shortened = (text: string) =>
  (text.length > 200 ? `${text.slice(0, 200)}…` : text).replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped here
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff\ufffe\uffff\ud800-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const MISSING = Symbol('missing');
type Fields = Record<string, fc.Arbitrary<unknown>>;

/**
 * One UTF-16 unit that class-validator's Length counts as exactly one character (it counts a
 * surrogate pair, or a character with a variation selector, as one), so a string's length is exact.
 * Control characters and the rest of the BMP included.
 */
const plainChar = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x00, max: 0x1f }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x7f, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xfe0d }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xfe10, max: 0xffff }) },
  )
  .map((code) => String.fromCharCode(code));

/** Characters that trouble parsers, validators, loggers and terminals. */
const nastyChar = fc.oneof(
  plainChar,
  fc.constantFrom(
    '"',
    '\\',
    '\u0000',
    '\u001b[31m',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u2029',
    '\u202e',
    '\u200b',
    '\ufeff',
    '\ufffe',
    '\ud800',
    '\udfff',
    '\ufe0f',
    '😀',
    '👩‍👩‍👧',
    '𝕏',
    'e\u0301',
    '中文',
    'ع',
    '%s',
    '${x}',
    '<script>',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const nastyString = (maxLength = 24) => fc.string({ unit: nastyChar, maxLength });

/** A string of min..max characters as class-validator counts them (up to ~70 KB: past the 64 KB body limit). */
const sizedString = (min: number, max: number) =>
  fc
    .tuple(fc.string({ unit: plainChar, minLength: 1, maxLength: 12 }), fc.integer({ min, max }))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const hugeString = sizedString(2_001, 70_000);

const json = fc.jsonValue({ maxDepth: 3 });
/** As the body parser sees it: it drops a leading byte-order mark. */
const isJson = (text: string) => {
  try {
    JSON.parse(text.replace(/^\ufeff/, ''));
    return true;
  } catch {
    return false;
  }
};

/** Not a string, and not null either: an optional field takes null as absent, so null is invalid only where required. */
const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(json, { maxLength: 3 }),
  fc.dictionary(fc.string(), json, { maxKeys: 3 }),
);
const notBoolean = fc.oneof(
  fc.integer(),
  fc.constantFrom('true', 'false', 'yes', '1', ''),
  nastyString(),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 2 }),
  fc.dictionary(fc.string(), json, { maxKeys: 2 }),
);
const notArray = fc.oneof(fc.integer(), fc.boolean(), nastyString(), fc.dictionary(fc.string(), json, { maxKeys: 3 }));
const notObject = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), nastyString());
const notInEnum = (values: readonly string[]) =>
  fc.oneof(
    notString,
    nastyString().filter((s) => !values.includes(s)),
    // Near misses of a valid value.
    fc
      .constantFrom(...values)
      .chain((v) => fc.constantFrom(v.toUpperCase(), ` ${v}`, `${v} `, `${v}\u0000`, v.replace(/_/g, '-'), `${v}s`, [v]))
      .filter((v) => typeof v !== 'string' || !values.includes(v)),
  );
/** A string field with Length(min, max): not a string, too short, too long (just past max, or up to ~70 KB). */
const notStringOfLength = (min: number, max: number) =>
  fc.oneof(notString, ...(min > 0 ? [sizedString(0, min - 1)] : []), sizedString(max + 1, max + 40), sizedString(max + 1, 70_000));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notUuid = fc.oneof(
  notString,
  nastyString(40).filter((s) => !UUID.test(s)),
  fc.uuid().map((u) => u.slice(1)),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u.slice(0, -1)}g`),
);
const notIsoDate = fc.oneof(
  notString,
  nastyString().filter((s) => !/^[\d+-]/.test(s)),
  fc.constantFrom('2026-02-30', '2026-13-01', '2026-1-1', 'yesterday', '1 Jan 2026', '2026-01-01T25:00:00Z', '01/02/2026'),
);
/** Not an RFC 3339 date-time with an offset: the forms the independent probes slipped through (issue 12), their neighbours, and a date alone. */
const notInstant = fc.oneof(
  notIsoDate,
  fc.constantFrom(
    '2031-W01',
    '2031-W01-1',
    '2031-200',
    '2031-01-01T00:00:00,5Z',
    '2031-01-01',
    '2031-01-01T00:00:00',
    '2031-01-01T00:00Z',
    '2016-12-31T23:59:60Z',
    '2031-01-01T00:00:00+0100',
    '2031-01-01 00:00:00Z',
    '2031-01-01T00:00:00.0000001Z',
    '+002031-01-01T00:00:00Z',
  ),
);
/** An array of enum codes that is not one: not an array, an unknown code among known ones, a repeated code, too few. */
const notEnumArray = (values: readonly string[], minSize: number) =>
  fc.oneof(
    notArray,
    fc.tuple(fc.constantFrom(...values), notInEnum(values)).map(([known, unknown]) => [known, unknown]),
    fc.constantFrom(...values).map((v) => [v, v]),
    ...(minSize > 0 ? [fc.constant([])] : []),
  );
/** Not a whole number from min to max: another type, a fraction, or out of range (never null: optional fields take null as absent). */
const notIntegerIn = (min: number, max: number) =>
  fc.oneof(
    fc.oneof(
      fc.boolean(),
      nastyString(),
      fc.constantFrom('1', '0'),
      fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
      fc.dictionary(fc.string(), json, { maxKeys: 2 }),
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.integer({ max: min - 1 }),
    fc.integer({ min: max + 1 }),
  );
/** A list of area names that is not one: not an array, a wrong item, a repeated name, too many. */
const notAreaNames = fc.oneof(
  notArray,
  fc.array(notStringOfLength(1, 100), { minLength: 1, maxLength: 2 }),
  fc.constant(['Jere', 'Jere']),
  fc.constant(Array.from({ length: 51 }, (_, i) => `Area ${i}`)),
);
/** A nested object that is not one: a scalar, or an array (of valid objects, even). */
const notNested = (valid: object) => fc.oneof(notObject, fc.constant([]), fc.constant([valid]), fc.constant([valid, valid]));
/** Where the DTO requires the field, null and absence are invalid too. */
const required = (invalid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: invalid }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(MISSING) });

function withFieldSet(base: object, path: string, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let parent = copy;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a fuzzed body leaves out the field it names
  if (value === MISSING) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** A field name no DTO declares: "zz-" and anything, or a name that means something to JavaScript objects. */
const unknownKey = fc.oneof(
  { weight: 5, arbitrary: nastyString(20).map((s) => `zz-${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then') },
);
/** Adds a member to the JSON text of an object, textually: `{ __proto__: x }` in JavaScript would not add a member at all. */
const plusMember = (objectText: string, key: string, valueText: string) =>
  `${objectText.slice(0, -1)}${objectText === '{}' ? '' : ','}${JSON.stringify(key)}:${valueText}}`;

const withUnknownField = (text: string) =>
  fc
    .tuple(unknownKey, fc.oneof({ weight: 3, arbitrary: json }, { weight: 1, arbitrary: hugeString }))
    .map(
      ([key, value]) =>
        new Body(
          `valid body plus unknown field ${key.startsWith('zz-') ? '"zz-…"' : JSON.stringify(key)}`,
          plusMember(text, key, JSON.stringify(value)),
        ),
    );

const anythingWithUnknownField = fc
  .tuple(fc.dictionary(fc.string(), fc.anything(), { maxKeys: 5 }), unknownKey, json)
  .map(
    ([object, key, value]) =>
      new Body('arbitrary object plus an unknown field', plusMember(JSON.stringify(object), key, JSON.stringify(value))),
  );

const notAnObject = (minArrayLength: number) =>
  fc.oneof(
    fc.array(fc.anything(), { minLength: minArrayLength, maxLength: 4 }).map((a) => new Body('a JSON array', JSON.stringify(a))),
    fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null)).map((v) => new Body('a JSON scalar', JSON.stringify(v))),
  );

const malformed = (text: string) =>
  fc.oneof(
    fc.integer({ min: 1, max: text.length - 1 }).map((n) => new Body('valid body cut short', text.slice(0, n))),
    fc.constantFrom('x', '}', ',', ']', '{}', '"').map((g) => new Body('valid body plus trailing garbage', text + g)),
    fc.constant(new Body('single-quoted JSON', text.replace(/"/g, "'"))),
    fc
      .constantFrom('NaN', 'undefined', 'Infinity', "'x'", '0x10', '01')
      .map((v) => new Body(`a member with the non-JSON value ${v}`, plusMember(text, 'zz', v))),
    fc.constant(new Body('a raw control character inside a string', text.replace('"', '"\u0001'))),
    nastyString(60)
      .filter((s) => /[^ \t\n\r]/.test(s) && !isJson(s))
      .map((s) => new Body('not JSON at all', s)),
  );

/** Depths up to where class-transformer's recursion overflows, and past the 64 KB body limit. */
const deeplyNested = (text: string) =>
  fc.tuple(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 30_000 })), fc.boolean()).map(([depth, arrays]) => {
    const nest = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);
    return new Body(
      `unknown field nested ${depth < 1_000 ? 'shallow' : 'deep'} (${arrays ? 'arrays' : 'objects'})`,
      plusMember(text, 'zz-deep', nest),
    );
  });

/** Every path to a string in `value`, with the string. */
const stringLeaves = (value: unknown, path: string[] = []): Array<[string[], string]> =>
  typeof value === 'string'
    ? [[path, value]]
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => stringLeaves(inner, [...path, key]))
      : [];

/** The valid body with a NUL character put into one of its strings, or into a field name: no field takes one (issue 12, finding 8). */
function withNul(valid: object): fc.Arbitrary<Body> {
  const leaves = stringLeaves(valid);
  const inName = fc.constant(
    new Body('valid body plus a field whose name holds a NUL', plusMember(JSON.stringify(valid), 'zz\u0000', '1')),
  );
  if (leaves.length === 0) return inName;
  const inValue = fc.tuple(fc.constantFrom(...leaves), fc.nat()).map(([[path, text], at]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    let parent = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    const cut = at % (text.length + 1);
    parent[path.at(-1)!] = `${text.slice(0, cut)}\u0000${text.slice(cut)}`;
    return new Body(`valid body with a NUL in ${path.join('.')}`, JSON.stringify(copy));
  });
  return fc.oneof({ weight: 3, arbitrary: inValue }, { weight: 1, arbitrary: inName });
}

function withWrongField(valid: object, path: string, value: unknown): Body {
  const how = value === MISSING ? 'missing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return new Body(
    `valid body but ${path} ${how === 'missing' ? 'missing' : `is ${how}`}`,
    JSON.stringify(withFieldSet(valid, path, value)),
  );
}

/** Invalid bodies for a route whose DTO accepts `valid` and refuses each value `fields` gives for its path. */
function invalidBodies(valid: object, fields: Fields): fc.Arbitrary<Body> {
  const text = JSON.stringify(valid);
  const oneFieldWrong = fc
    .constantFrom(...Object.keys(fields))
    .chain((path) => fields[path]!.map((value) => withWrongField(valid, path, value)));
  return fc.oneof(
    { weight: 5, arbitrary: oneFieldWrong },
    { weight: 2, arbitrary: withUnknownField(text) },
    { weight: 1, arbitrary: anythingWithUnknownField },
    { weight: 1, arbitrary: notAnObject(0) },
    { weight: 1, arbitrary: malformed(text) },
    { weight: 1, arbitrary: deeplyNested(text) },
    { weight: 1, arbitrary: withNul(valid) },
  );
}

/** A route that takes no body: anything but an empty one is a body it cannot mean, hence invalid. */
function bodiesWhereNoneBelongs(): fc.Arbitrary<Body> {
  const plausible = JSON.stringify({ note: 'fuzz', reason: 'other' });
  const key = fc.oneof(fc.string(), unknownKey, fc.constantFrom('note', 'reason', 'outcome', 'flag', 'status', 'referralId', 'caseId'));
  const nonEmptyObject = fc
    .array(fc.tuple(key, fc.oneof({ weight: 4, arbitrary: json }, { weight: 1, arbitrary: hugeString })), { minLength: 1, maxLength: 4 })
    .map(
      (members) => new Body('a non-empty object', `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`),
    );
  return fc.oneof(
    { weight: 4, arbitrary: nonEmptyObject },
    { weight: 1, arbitrary: notAnObject(1) },
    { weight: 1, arbitrary: malformed(plausible) },
    { weight: 1, arbitrary: deeplyNested(plausible) },
  );
}

/** Shapes already seen to slip through or crash (see the random runs' reports), tried first on every run. */
function knownShapes(valid: object, wrongFields: ReadonlyArray<readonly [string, unknown]> = []): Body[] {
  const text = JSON.stringify(valid);
  return [
    new Body('unknown field nested deep (arrays)', plusMember(text, 'zz-deep', '['.repeat(5_000) + ']'.repeat(5_000))),
    ...['__proto__', 'constructor', 'toString'].map(
      (key) => new Body(`valid body plus unknown field "${key}"`, plusMember(text, key, '{"zz":1}')),
    ),
    ...wrongFields.map(([path, value]) => withWrongField(valid, path, value)),
    // A NUL reached the database and answered 500 (issue 12, finding 8).
    ...(text.includes('":"') ? [new Body('valid body with a NUL in its first string', text.replace('":"', '":"\\u0000'))] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// Valid bodies, and the values each field must refuse

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const validPerson = {
  identity: { fullName: 'F. Fuzz', otherNames: ['Fuzzy'], dateOfBirth: '2001-04-09' },
  contact: { phone: '+000 0000', safeToContact: false, safeContactNotes: 'n' },
  location: { area: 'Fuzz Camp', details: 'd' },
  demographics: { sex: 'female', ageBand: '18-24', nationality: 'xx', disability: false, languages: ['ha'] },
};
const validOpenCase = { source: 'observation', ageGroup: 'adult', indicators: ['work.forced_to_work'], person: validPerson };
const openCaseFields: Fields = {
  source: required(notInEnum(CASE_SOURCES)),
  indicators: required(notEnumArray(INDICATOR_CODES, 0)),
  ageGroup: required(notInEnum(AGE_GROUPS)),
  person: notNested(validPerson),
  'person.identity': notNested(validPerson.identity),
  'person.identity.fullName': required(notStringOfLength(1, 200)),
  'person.identity.otherNames': fc.oneof(
    notArray,
    fc.array(notStringOfLength(1, 200), { minLength: 1, maxLength: 2 }),
    fc.array(sizedString(1, 20), { minLength: 6, maxLength: 8 }),
  ),
  'person.identity.dateOfBirth': fc.oneof(notIsoDate, fc.constant('2001-04-09T00:00:00Z')),
  'person.contact': notNested(validPerson.contact),
  'person.contact.phone': notStringOfLength(3, 40),
  'person.contact.safeToContact': required(notBoolean),
  'person.contact.safeContactNotes': notStringOfLength(1, 500),
  'person.location': notNested(validPerson.location),
  'person.location.area': required(notStringOfLength(1, 200)),
  'person.location.details': notStringOfLength(1, 500),
  'person.demographics': notNested(validPerson.demographics),
  'person.demographics.sex': required(notInEnum(SEXES)),
  'person.demographics.ageBand': required(notInEnum(AGE_BANDS)),
  'person.demographics.nationality': notStringOfLength(2, 60),
  'person.demographics.disability': notBoolean,
  'person.demographics.languages': fc.oneof(
    notArray,
    fc.array(notStringOfLength(2, 35), { minLength: 1, maxLength: 2 }),
    fc.array(sizedString(2, 5), { minLength: 11, maxLength: 12 }),
  ),
};

const provision = (agencyId: string) => ({
  recipient: { agencyId },
  purpose: 'service_provision',
  serviceTypes: ['shelter'],
  categories: ['identity'],
  validUntil: inDays(30),
});
/** validUntil is not given "missing": a determination's scope needs it, but that is a domain rule (422), not malformed input. */
const provisionFields = (prefix: string, valid: object): Fields => ({
  [`${prefix}.recipient`]: required(notNested((valid as { recipient: object }).recipient)),
  [`${prefix}.recipient.agencyId`]: notUuid,
  [`${prefix}.recipient.agencyKind`]: notInEnum(AGENCY_KINDS),
  [`${prefix}.purpose`]: required(notInEnum(PURPOSES)),
  [`${prefix}.serviceTypes`]: notEnumArray(SERVICE_TYPES, 0),
  [`${prefix}.categories`]: required(notEnumArray(DATA_CATEGORIES, 1)),
  [`${prefix}.validFrom`]: notInstant,
  [`${prefix}.validUntil`]: notInstant,
});
const provisionList = (valid: object) =>
  required(
    fc.oneof(
      notArray,
      fc.constant([]),
      fc.array(fc.oneof(notObject, fc.constant(null)), { minLength: 1, maxLength: 2 }),
      fc.constant(Array.from({ length: 21 }, () => valid)),
    ),
  );

const validConsent = (agencyId: string) => ({
  grantor: 'person',
  childAssent: false,
  method: 'verbal',
  language: 'ha',
  interpreterUsed: true,
  noticeVersion: 'notice-2026-01',
  provisions: [provision(agencyId)],
});
const consentFields = (agencyId: string): Fields => ({
  grantor: required(notInEnum(CONSENT_GRANTORS)),
  childAssent: notBoolean,
  method: required(notInEnum(CONSENT_METHODS)),
  language: required(notStringOfLength(2, 35)),
  interpreterUsed: required(notBoolean),
  noticeVersion: required(notStringOfLength(1, 50)),
  provisions: provisionList(provision(agencyId)),
  ...provisionFields('provisions.0', provision(agencyId)),
});

const validReferral = (agencyId: string) => ({
  toAgencyId: agencyId,
  purpose: 'service_provision',
  serviceType: 'shelter',
  urgency: 'normal',
  sharedCategories: ['identity'],
  note: 'fuzz',
});
const referralFields: Fields = {
  toAgencyId: required(notUuid),
  purpose: required(notInEnum(PURPOSES)),
  serviceType: notInEnum(SERVICE_TYPES),
  urgency: notInEnum(URGENCIES),
  sharedCategories: required(notEnumArray(DATA_CATEGORIES, 1)),
  note: notStringOfLength(1, 2000),
  serviceId: notUuid,
  area: notStringOfLength(1, 100),
};
const { purpose: _purpose, serviceType: _serviceType, sharedCategories: _shared, ...reReferralFields } = referralFields;

const validDetermination = (agencyId: string) => ({ scope: [provision(agencyId)], reasons: 'fuzz' });
const determinationFields = (agencyId: string): Fields => ({
  scope: provisionList(provision(agencyId)),
  ...provisionFields('scope.0', provision(agencyId)),
  reasons: required(notStringOfLength(1, 2000)),
});

// The service directory (src/directory): agencies' services and profiles, and the envelope of an HSDS import.
const validLocation = { name: 'Fuzz site', locality: 'Maiduguri', region: 'Borno', country: 'NG' };
const validService = {
  name: 'Fuzz service',
  serviceType: 'shelter',
  description: 'fuzz',
  status: 'active',
  areas: ['Maiduguri'],
  eligibility: { sexes: ['female'], minimumAge: 0, maximumAge: 60, childrenAccepted: true, languages: ['ha'] },
  capacity: { total: 4, available: 2 },
  locations: [validLocation],
};
const serviceFields: Fields = {
  name: required(notStringOfLength(1, 200)),
  serviceType: required(notInEnum(SERVICE_TYPES)),
  description: notStringOfLength(0, 2000),
  status: required(notInEnum(SERVICE_STATUSES)),
  areas: required(notAreaNames),
  eligibility: required(notNested(validService.eligibility)),
  'eligibility.sexes': notEnumArray(ELIGIBLE_SEXES, 0),
  // Above the valid body's maximumAge is invalid too.
  'eligibility.minimumAge': fc.oneof(notIntegerIn(0, 150), fc.integer({ min: 61, max: 150 })),
  'eligibility.maximumAge': notIntegerIn(0, 150),
  'eligibility.childrenAccepted': required(notBoolean),
  'eligibility.languages': fc.oneof(
    notArray,
    fc.array(
      fc.oneof(
        notString,
        nastyString().filter((v) => !/^[a-z]{2,3}$/.test(v)),
      ),
      { minLength: 1, maxLength: 2 },
    ),
    fc.constant(['ha', 'ha']),
  ),
  capacity: notNested(validService.capacity),
  // Below the valid body's available, or available above its total, is invalid too.
  'capacity.total': required(fc.oneof(notIntegerIn(0, 100_000), fc.constantFrom(0, 1))),
  'capacity.available': required(fc.oneof(notIntegerIn(0, 100_000), fc.integer({ min: 5, max: 100_000 }))),
  locations: fc.oneof(
    notArray,
    fc.array(fc.oneof(notObject, fc.constant(null)), { minLength: 1, maxLength: 2 }),
    fc.constant([validLocation, validLocation]),
    fc.constant(Array.from({ length: 21 }, (_, i) => ({ ...validLocation, name: `Site ${i}` }))),
  ),
  'locations.0.name': required(notStringOfLength(1, 200)),
  'locations.0.locality': required(notStringOfLength(1, 100)),
  'locations.0.region': required(notStringOfLength(1, 100)),
  'locations.0.country': required(
    fc.oneof(
      notString,
      nastyString().filter((v) => !/^[A-Z]{2}$/.test(v)),
    ),
  ),
};
const validProfile = { description: 'fuzz', subcommittees: ['protection'], areasServed: ['Bama'] };
const profileFields: Fields = {
  description: required(notStringOfLength(0, 2000)),
  subcommittees: required(notEnumArray(SUBCOMMITTEES, 0)),
  areasServed: required(notAreaNames),
};
const importFields: Fields = Object.fromEntries(
  ['organizations', 'services', 'locations', 'service_at_locations', 'taxonomies', 'taxonomy_terms'].map((collection) => [
    collection,
    fc.oneof(notArray, fc.array(fc.oneof(notObject, fc.constant(null), fc.constant([])), { minLength: 1, maxLength: 2 })),
  ]),
);

// ---------------------------------------------------------------------------------------------
// Personal data for the log test: distinctive, fictional, and found nowhere else in the app

const PERSON = {
  identity: { fullName: 'Zainab Quillfeather-Okonkwo', otherNames: ['Zee Marrowdale'], dateOfBirth: '2003-07-19' },
  contact: { phone: '+234 809 555 0142', safeToContact: false, safeContactNotes: 'call only via Aunt Ruqayya at the tailoring stall' },
  location: { area: 'Gwange Blue Gate Compound', details: 'behind the Maiduguri Flour Depot' },
  demographics: { sex: 'female', ageBand: '18-24', nationality: 'Fictlandian', languages: ['Kanembu-Fict'] },
};
const FREE_TEXT = {
  referralNote: 'Fears Baba Tunde-Fictus, who holds her passport',
  declineNote: 'Bed went to her cousin Hadiza Fictional-Sister',
  outcome: 'Reunited with uncle Musa Imaginary in Damboa',
  interruptionNote: 'Last seen boarding bus 7734-FICT to Kano',
  reasons: 'Her mother Falmata Notreal-Bukar is the recruiter',
  casePlan: 'Counselling at the Fictional Road clinic, Tuesdays',
  safetyPlan: 'Code word Kolanut-Fictus when calling',
};
const PERSONAL_VALUES = [
  PERSON.identity.fullName,
  PERSON.identity.otherNames[0]!,
  PERSON.identity.dateOfBirth,
  PERSON.contact.phone,
  'Aunt Ruqayya',
  'Gwange Blue Gate',
  'Maiduguri Flour Depot',
  'Fictlandian',
  'Kanembu-Fict',
  ...Object.values(FREE_TEXT),
];
/** Values that arrive only in bad requests. */
const IN_BAD_REQUESTS = {
  unknownFieldValue: 'Yagana Phantom-Unknownfield',
  wrongType: 'Kaltum Ghostly-Wrongtype',
  tooLong: 'Bintu Mirage-Toolong',
  enumValue: 'Ladi Figment-Enumvalue',
  malformed: 'Aisha Neverwas-Malformed',
  notJson: 'Hauwa Vapour-Notjson lives at Gate 9',
  oversize: 'Rakiya Oversize-Phantasm',
  deep: 'Amina Chimera-Deepnest',
  noBodyRoute: 'Zara Figment-Bodyless',
  idempotencyKey: 'Maimuna Headervalue',
  username: 'zainab.quillfeather.fict',
  password: 'Quillfeather-Pa55-Secret!',
};
const AS_FIELD_NAME = 'Fatima Spectre-Fieldname';

// ---------------------------------------------------------------------------------------------

describe('invalid input and personal data, over HTTP (PGlite)', () => {
  const t = useTestApp({ settings: { WRITES_PER_MINUTE: '100000', SIGN_INS_PER_MINUTE: '10000' } });
  let shelterId: string;
  const headersOf = async (username: string | null) => ({
    'Content-Type': 'application/json',
    ...(username ? { Authorization: `Bearer ${await t.token(username)}` } : {}),
  });
  const eventCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n;
  const directoryState = async () =>
    (
      await t.db.query<{ state: string }>(`SELECT md5(concat(
      (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM directory_services s), (SELECT string_agg(p::text, ',' ORDER BY p.agency_id) FROM directory_agency_profiles p),
      (SELECT string_agg(l::text, ',' ORDER BY l.id) FROM directory_locations l), (SELECT string_agg(sl::text, ',' ORDER BY sl.id) FROM directory_service_locations sl))) AS state`)
    )[0]!.state;
  const post = async (path: string, username: string | null, body: object | string) =>
    t.http
      .post(path)
      .set(await headersOf(username))
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const created = async (path: string, username: string, body: object = {}) => {
    const response = await post(path, username, body);
    if (response.status >= 300) throw new Error(`setup: POST ${path} answered ${response.status} ${response.text}`);
    return response.body as Record<string, string> & { provisionIds: string[] };
  };
  const openCase = async (ageGroup = 'adult') =>
    (await created('/cases', 'caseworker.social', { source: 'hotline', ageGroup, indicators: [] })).caseId!;

  /** Ids of the cases, consents, referrals and determinations each route acts on, each in a state where a valid request would succeed. */
  const f = {} as {
    owned: string;
    consentProvision: string;
    consentToWithdraw: string;
    toAcknowledge: string;
    toAccept: string;
    toDecline: string;
    toComplete: string;
    toWithdraw: string;
    toInterrupt: string;
    toClose: string;
    paused: string;
    closed: string;
    flagged: string;
    child: string;
    toApprove: string;
    toReject: string;
    toReRefer: string;
    caseworker: string;
    service: string;
    beds: string;
    legal: string;
  };

  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');

    f.owned = await openCase();
    await created(`/cases/${f.owned}/consents`, 'caseworker.social', validConsent(shelterId));
    // A second consent, for another purpose, so that withdrawing it (were a body to slip through) leaves the referrals standing.
    const second = await created(`/cases/${f.owned}/consents`, 'caseworker.social', {
      ...validConsent(shelterId),
      provisions: [{ recipient: { agencyId: shelterId }, purpose: 'case_management', categories: ['identity'] }],
    });
    f.consentToWithdraw = second.consentId!;
    f.consentProvision = second.provisionIds[0]!;
    const refer = async () => (await created(`/cases/${f.owned}/referrals`, 'caseworker.social', validReferral(shelterId))).referralId!;
    [f.toAcknowledge, f.toAccept, f.toDecline, f.toComplete, f.toWithdraw] = [
      await refer(),
      await refer(),
      await refer(),
      await refer(),
      await refer(),
    ];
    await created(`/cases/${f.owned}/referrals/${f.toComplete}/accept`, 'caseworker.shelter');
    f.toReRefer = await refer();
    await created(`/cases/${f.owned}/referrals/${f.toReRefer}/decline`, 'caseworker.shelter', { reason: 'no_capacity' });
    f.caseworker = (await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', ['caseworker.social']))[0]!.id;

    f.toInterrupt = await openCase();
    f.toClose = await openCase();
    f.paused = await openCase();
    await created(`/cases/${f.paused}/interruption`, 'caseworker.social', { reason: 'lost_contact' });
    f.closed = await openCase();
    await created(`/cases/${f.closed}/closure`, 'caseworker.social', { reason: 'other' });
    f.flagged = await openCase();
    await created(`/cases/${f.flagged}/safety-flags`, 'caseworker.social', { flag: 'no_phone_contact' });

    f.child = await openCase('child');
    f.toApprove = (
      await created(`/cases/${f.child}/best-interests-determinations`, 'caseworker.social', validDetermination(shelterId))
    ).determinationId!;
    f.toReject = (
      await created(`/cases/${f.child}/best-interests-determinations`, 'caseworker.social', validDetermination(shelterId))
    ).determinationId!;

    f.service = (await created('/directory/services', 'admin.social', validService)).serviceId!;
    f.beds = (
      await t.http
        .get(`/directory/services?agencyId=${shelterId}`)
        .set(await headersOf('caseworker.shelter'))
        .expect(200)
    ).body[0].serviceId;
    f.legal = await t.agencyId('Sahel Legal');
  });

  describe(`answers every fuzzed invalid body with 400/413 problem+json and writes nothing (${RUNS} runs per route)`, () => {
    interface Route {
      path: () => string;
      as: string | null;
      /** Default: POST. */
      method?: 'PUT';
      /** For routes with a DTO: a valid body and, per field, values its DTO refuses. Absent: the route takes no body. */
      dto?: () => { valid: object; fields: Fields; known?: ReadonlyArray<readonly [string, unknown]> };
    }
    const ROUTES: Record<string, Route> = {
      'POST /cases': {
        path: () => '/cases',
        as: 'caseworker.social',
        dto: () => ({
          valid: validOpenCase,
          fields: openCaseFields,
          known: [
            ['person', []],
            ['person.identity', [validPerson.identity]],
          ],
        }),
      },
      'POST /cases/:id/consents': {
        path: () => `/cases/${f.owned}/consents`,
        as: 'caseworker.social',
        dto: () => ({ valid: validConsent(shelterId), fields: consentFields(shelterId), known: [['provisions.0.recipient', MISSING]] }),
      },
      'POST /cases/:id/consents/:cid/withdrawal': {
        path: () => `/cases/${f.owned}/consents/${f.consentToWithdraw}/withdrawal`,
        as: 'caseworker.social',
        dto: () => ({
          valid: { provisionIds: [f.consentProvision] },
          fields: {
            provisionIds: fc.oneof(
              notArray,
              fc.constant([]),
              fc.array(notUuid, { minLength: 1, maxLength: 3 }),
              fc.constant([f.consentProvision, f.consentProvision]),
            ),
          },
        }),
      },
      'POST /cases/:id/referrals': {
        path: () => `/cases/${f.owned}/referrals`,
        as: 'caseworker.social',
        dto: () => ({ valid: validReferral(shelterId), fields: referralFields }),
      },
      'POST /cases/:id/referrals/:rid/acknowledge': {
        path: () => `/cases/${f.owned}/referrals/${f.toAcknowledge}/acknowledge`,
        as: 'caseworker.shelter',
      },
      'POST /cases/:id/referrals/:rid/accept': { path: () => `/cases/${f.owned}/referrals/${f.toAccept}/accept`, as: 'caseworker.shelter' },
      'POST /cases/:id/referrals/:rid/decline': {
        path: () => `/cases/${f.owned}/referrals/${f.toDecline}/decline`,
        as: 'caseworker.shelter',
        dto: () => ({
          valid: { reason: 'no_capacity', note: 'fuzz' },
          fields: { reason: required(notInEnum(DECLINE_REASONS)), note: notStringOfLength(1, 2000) },
        }),
      },
      'POST /cases/:id/referrals/:rid/complete': {
        path: () => `/cases/${f.owned}/referrals/${f.toComplete}/complete`,
        as: 'caseworker.shelter',
        dto: () => ({ valid: { outcome: 'fuzz' }, fields: { outcome: required(notStringOfLength(1, 2000)) } }),
      },
      'POST /cases/:id/referrals/:rid/withdraw': {
        path: () => `/cases/${f.owned}/referrals/${f.toWithdraw}/withdraw`,
        as: 'caseworker.social',
      },
      'POST /cases/:id/referrals/:rid/re-referral': {
        path: () => `/cases/${f.owned}/referrals/${f.toReRefer}/re-referral`,
        as: 'caseworker.social',
        dto: () => ({
          valid: { toAgencyId: shelterId, urgency: 'high', note: 'fuzz' },
          fields: { ...reReferralFields, sharedCategories: notEnumArray(DATA_CATEGORIES, 1) },
        }),
      },
      'POST /cases/:id/referrals/:rid/identification': {
        path: () => `/cases/${f.owned}/referrals/${f.toAccept}/identification`,
        as: 'caseworker.shelter',
        dto: () => ({ valid: { outcome: 'inconclusive' }, fields: { outcome: required(notInEnum(IDENTIFICATION_OUTCOMES)) } }),
      },
      'POST /cases/:id/screening': {
        path: () => `/cases/${f.owned}/screening`,
        as: 'caseworker.social',
        dto: () => ({
          valid: { outcome: 'other_needs', indicators: ['physical.untreated_injuries_or_illness'] },
          fields: { outcome: required(notInEnum(SCREENING_OUTCOMES)), indicators: notEnumArray(INDICATOR_CODES, 0) },
        }),
      },
      'POST /cases/:id/identification': {
        path: () => `/cases/${f.owned}/identification`,
        as: 'caseworker.social',
        dto: () => ({ valid: { outcome: 'not_trafficked' }, fields: { outcome: required(notInEnum(IDENTIFICATION_OUTCOMES)) } }),
      },
      'POST /cases/:id/intake': {
        path: () => `/cases/${f.owned}/intake`,
        as: 'caseworker.social',
        dto: () => ({ valid: { caseworkerId: f.caseworker }, fields: { caseworkerId: required(notUuid) } }),
      },
      'POST /cases/:id/case-plan': {
        path: () => `/cases/${f.owned}/case-plan`,
        as: 'caseworker.social',
        dto: () => ({
          valid: { servicesNeeded: ['shelter'], plan: 'fuzz' },
          fields: { servicesNeeded: required(notEnumArray(SERVICE_TYPES, 0)), plan: required(notStringOfLength(1, 2000)) },
        }),
      },
      'POST /cases/:id/safety-assessments': {
        path: () => `/cases/${f.owned}/safety-assessments`,
        as: 'caseworker.social',
        dto: () => ({
          valid: { riskLevel: 'low', plan: 'fuzz', flags: [] },
          fields: {
            riskLevel: required(notInEnum(RISK_LEVELS)),
            plan: required(notStringOfLength(1, 2000)),
            flags: notEnumArray(SAFETY_FLAGS, 0),
          },
        }),
      },
      'POST /cases/:id/interruption': {
        path: () => `/cases/${f.toInterrupt}/interruption`,
        as: 'caseworker.social',
        dto: () => ({
          valid: { reason: 'lost_contact', note: 'fuzz' },
          fields: { reason: required(notInEnum(INTERRUPTION_REASONS)), note: notStringOfLength(1, 2000) },
        }),
      },
      'POST /cases/:id/resumption': { path: () => `/cases/${f.paused}/resumption`, as: 'caseworker.social' },
      'POST /cases/:id/closure': {
        path: () => `/cases/${f.toClose}/closure`,
        as: 'caseworker.social',
        dto: () => ({ valid: { reason: 'other' }, fields: { reason: required(notInEnum(CLOSURE_REASONS)) } }),
      },
      'POST /cases/:id/reopening': { path: () => `/cases/${f.closed}/reopening`, as: 'caseworker.social' },
      'POST /cases/:id/safety-flags': {
        path: () => `/cases/${f.flagged}/safety-flags`,
        as: 'caseworker.social',
        dto: () => ({ valid: { flag: 'family_involved_in_trafficking' }, fields: { flag: required(notInEnum(SAFETY_FLAGS)) } }),
      },
      'POST /cases/:id/safety-flags/:flag/lifting': {
        path: () => `/cases/${f.flagged}/safety-flags/no_phone_contact/lifting`,
        as: 'caseworker.social',
      },
      'POST /cases/:id/best-interests-determinations': {
        path: () => `/cases/${f.child}/best-interests-determinations`,
        as: 'caseworker.social',
        dto: () => ({
          valid: validDetermination(shelterId),
          fields: determinationFields(shelterId),
          known: [['scope.0.recipient', MISSING]],
        }),
      },
      'POST /cases/:id/best-interests-determinations/:did/approval': {
        path: () => `/cases/${f.child}/best-interests-determinations/${f.toApprove}/approval`,
        as: 'supervisor.social',
      },
      'POST /cases/:id/best-interests-determinations/:did/rejection': {
        path: () => `/cases/${f.child}/best-interests-determinations/${f.toReject}/rejection`,
        as: 'supervisor.social',
      },
      'POST /directory/services': {
        path: () => '/directory/services',
        as: 'admin.social',
        dto: () => ({
          valid: validService,
          fields: { ...serviceFields, agencyId: notUuid },
          known: [
            ['eligibility', []],
            ['locations.0', null],
          ],
        }),
      },
      'PUT /directory/services/:id': {
        path: () => `/directory/services/${f.service}`,
        as: 'admin.social',
        method: 'PUT',
        dto: () => ({ valid: validService, fields: serviceFields }),
      },
      'POST /directory/services/:id/capacity': {
        path: () => `/directory/services/${f.beds}/capacity`,
        as: 'caseworker.shelter',
        dto: () => ({
          valid: { available: 1, total: 12 },
          fields: {
            available: required(fc.oneof(notIntegerIn(0, 100_000), fc.integer({ min: 13, max: 100_000 }))),
            total: fc.oneof(notIntegerIn(0, 100_000), fc.constant(0)),
          },
        }),
      },
      'PUT /directory/agencies/:id/profile': {
        path: () => `/directory/agencies/${f.legal}/profile`,
        as: 'coordinator.justice',
        method: 'PUT',
        dto: () => ({ valid: validProfile, fields: profileFields }),
      },
      // Only the envelope is malformed input (400); records inside that break HSDS or the profile are a 422 report (test/directory.e2e.spec.ts).
      'POST /directory/hsds/import': {
        path: () => '/directory/hsds/import',
        as: 'coordinator.justice',
        dto: () => ({ valid: { services: [], taxonomies: [] }, fields: importFields }),
      },
      // The real password: a body that slipped past validation would sign in (200), not merely fail (401).
      'POST /auth/token': {
        path: () => '/auth/token',
        as: null,
        dto: () => ({
          valid: { username: 'caseworker.ngo', password: t.password },
          fields: { username: required(notStringOfLength(1, 100)), password: required(notStringOfLength(1, 200)) },
        }),
      },
    };

    it.each(Object.keys(ROUTES))('%s', async (name) => {
      const route = ROUTES[name]!;
      const dto = route.dto?.();
      const bodies = dto ? invalidBodies(dto.valid, dto.fields) : bodiesWhereNoneBelongs();
      const examples = dto
        ? knownShapes(dto.valid, dto.known)
        : [new Body('a non-empty object', '{"note":"fuzz"}'), new Body('a JSON array', '[{}]')];
      const headers = await headersOf(route.as);
      /** Every kind of failure once, with its first example: one run shows all that is wrong with a route, not only the first thing. */
      const failures = new Map<string, string>();
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const before = await eventCount();
          const directoryBefore = await directoryState();
          const response = await (route.method === 'PUT' ? t.http.put(route.path()) : t.http.post(route.path()))
            .set(headers)
            .send(body.text);
          const written = (await eventCount()) - before;
          const wrong: string[] = [];
          if (response.status < 400 || response.status >= 500) wrong.push(`answered ${response.status}`);
          // 400 is malformed input, 413 a body past 64 KB; any other 4xx means the body was taken as valid and decided on.
          else if (response.status !== 400 && response.status !== 413) wrong.push(`answered ${response.status} (taken as valid input)`);
          if (!(response.headers['content-type'] ?? '').startsWith('application/problem+json'))
            wrong.push(`content-type ${response.headers['content-type']}`);
          if (written !== 0) wrong.push(`wrote ${written} event(s)`);
          if ((await directoryState()) !== directoryBefore) wrong.push('changed the service directory');
          const key = `${body.kind} -> ${wrong.join(', ')}`;
          if (wrong.length > 0 && !failures.has(key))
            failures.set(key, `${key}\n    e.g. ${JSON.stringify(body)}\n    answer: ${shortened(response.text)}`);
        }),
        { numRuns: RUNS, seed: SEED, examples: examples.map((e) => [e]) },
      );
      if (failures.size > 0) {
        // The sign-in bodies carry the demo password, and a sign-in that slipped through answers with a token.
        const redact = (text: string) =>
          text
            .split(t.password)
            .join('<demo password>')
            .replace(/eyJ[\w.-]+/g, '<token>');
        throw new Error(
          redact(
            `${name}: ${failures.size} kind(s) of invalid body not refused as malformed input (FUZZ_SEED=${SEED}):\n${[...failures.values()].join('\n')}`,
          ),
        );
      }
    });
  });

  describe('keeps personal data out of logs and error messages', () => {
    const inLogs = (values: readonly string[]) => {
      const logs = t.logs.lines.join('\n');
      return values.filter((v) => logs.includes(v));
    };
    const echoed = (responses: readonly Response[], values: readonly string[]) =>
      responses.flatMap((r) =>
        values
          .filter((v) => r.text.includes(v))
          .map((v) => `${r.status} ${r.request.url.replace(/^https?:\/\/[^/]+/, '')} echoes ${JSON.stringify(v)}`),
      );

    it('takes personal data and free text through every write route that accepts it, and logs none of it', async () => {
      const responses: Response[] = [];
      const ok = async (path: string, username: string, body: object) => {
        const response = await post(path, username, body);
        responses.push(response);
        if (response.status >= 300) throw new Error(`POST ${path} answered ${response.status} ${response.text}`);
        return response.body as Record<string, string>;
      };
      const opened = await t.http
        .post('/cases')
        .set(await headersOf('caseworker.social'))
        .set('Idempotency-Key', 'Maimuna-Headervalue-0001')
        .send(JSON.stringify({ source: 'observation', ageGroup: 'adult', indicators: ['work.forced_to_work'], person: PERSON }));
      responses.push(opened);
      expect(opened.status).toBe(201);
      const caseId = opened.body.caseId as string;
      await ok(`/cases/${caseId}/consents`, 'caseworker.social', {
        ...validConsent(shelterId),
        provisions: [
          {
            recipient: { agencyId: shelterId },
            purpose: 'service_provision',
            serviceTypes: ['shelter'],
            categories: ['identity', 'location'],
          },
        ],
      });
      const referral = {
        toAgencyId: shelterId,
        purpose: 'service_provision',
        serviceType: 'shelter',
        sharedCategories: ['identity', 'location'],
        note: FREE_TEXT.referralNote,
      };
      const declined = (await ok(`/cases/${caseId}/referrals`, 'caseworker.social', referral)).referralId!;
      const completed = (await ok(`/cases/${caseId}/referrals`, 'caseworker.social', referral)).referralId!;
      await ok(`/cases/${caseId}/referrals/${declined}/decline`, 'caseworker.shelter', {
        reason: 'no_capacity',
        note: FREE_TEXT.declineNote,
      });
      await ok(`/cases/${caseId}/referrals/${completed}/accept`, 'caseworker.shelter', {});
      await ok(`/cases/${caseId}/referrals/${completed}/complete`, 'caseworker.shelter', { outcome: FREE_TEXT.outcome });
      await ok(`/cases/${caseId}/intake`, 'caseworker.social', { caseworkerId: f.caseworker });
      await ok(`/cases/${caseId}/case-plan`, 'caseworker.social', { servicesNeeded: ['shelter'], plan: FREE_TEXT.casePlan });
      await ok(`/cases/${caseId}/safety-assessments`, 'caseworker.social', { riskLevel: 'high', plan: FREE_TEXT.safetyPlan });
      await ok(`/cases/${caseId}/interruption`, 'caseworker.social', { reason: 'relocated', note: FREE_TEXT.interruptionNote });
      const child = await openCase('child');
      await ok(`/cases/${child}/best-interests-determinations`, 'caseworker.social', {
        ...validDetermination(shelterId),
        reasons: FREE_TEXT.reasons,
      });

      // The values really went in (else this test would prove nothing): the owner reads them all back.
      const asOwner = await headersOf('caseworker.social');
      const view = await eventually(
        async () => JSON.stringify((await t.http.get(`/cases/${caseId}`).set(asOwner)).body),
        (v) => v.includes(FREE_TEXT.interruptionNote),
      );
      const childView = JSON.stringify((await t.http.get(`/cases/${child}`).set(asOwner).expect(200)).body);
      expect(PERSONAL_VALUES.filter((v) => !`${view}${childView}`.includes(v))).toEqual([]);

      expect(echoed(responses, PERSONAL_VALUES)).toEqual([]); // write answers carry ids, not data
      expect(inLogs([...PERSONAL_VALUES, 'Maimuna-Headervalue'])).toEqual([]);
    });

    it('refuses bad requests carrying personal data without echoing or logging it', async () => {
      const v = IN_BAD_REQUESTS;
      const caseId = await openCase();
      await created(`/cases/${caseId}/consents`, 'caseworker.social', validConsent(shelterId));
      const referralId = (await created(`/cases/${caseId}/referrals`, 'caseworker.social', validReferral(shelterId))).referralId!;
      const asOwner = await headersOf('caseworker.social');
      const open = { source: 'observation', ageGroup: 'adult', indicators: [] };
      const padding = 'x'.repeat(2_100);
      const requests: Array<[string, () => Promise<Response>]> = [
        ['value of an unknown field', () => post('/cases', 'caseworker.social', { ...open, remarks: v.unknownFieldValue })],
        [
          'value of an unknown nested field',
          () => post('/cases', 'caseworker.social', { ...open, person: { identity: { fullName: 'x', alias: v.unknownFieldValue } } }),
        ],
        ['wrong-typed name', () => post('/cases', 'caseworker.social', { ...open, person: { identity: { fullName: [v.wrongType] } } })],
        [
          'wrong-typed phone',
          () =>
            post('/cases', 'caseworker.social', { ...open, person: { contact: { phone: { number: v.wrongType }, safeToContact: 'no' } } }),
        ],
        ['name too long', () => post('/cases', 'caseworker.social', { ...open, person: { identity: { fullName: v.tooLong + padding } } })],
        [
          'value where a code belongs',
          () => post('/cases', 'caseworker.social', { ...open, source: v.enumValue, indicators: [v.enumValue] }),
        ],
        [
          'malformed JSON',
          () => post('/cases', 'caseworker.social', `{"source":"observation","person":{"identity":{"fullName":"${v.malformed}"`),
        ],
        ['not JSON at all', () => post('/cases', 'caseworker.social', v.notJson)],
        [
          'body past the size limit',
          () => post('/cases', 'caseworker.social', { ...open, person: { location: { area: v.oversize, details: 'y'.repeat(70_000) } } }),
        ],
        [
          'deeply nested body',
          () =>
            post(
              '/cases',
              'caseworker.social',
              plusMember(JSON.stringify(open), 'zz', `${'['.repeat(5_000)}"${v.deep}"${']'.repeat(5_000)}`),
            ),
        ],
        [
          'invalid Idempotency-Key',
          () => t.http.post('/cases').set(asOwner).set('Idempotency-Key', v.idempotencyKey).send(JSON.stringify(open)),
        ],
        [
          'invalid If-Match',
          () => t.http.post(`/cases/${caseId}/closure`).set(asOwner).set('If-Match', v.idempotencyKey).send('{"reason":"other"}'),
        ],
        [
          'referral note wrong-typed',
          () => post(`/cases/${caseId}/referrals`, 'caseworker.social', { ...validReferral(shelterId), note: { text: v.wrongType } }),
        ],
        [
          'referral note too long',
          () => post(`/cases/${caseId}/referrals`, 'caseworker.social', { ...validReferral(shelterId), note: v.tooLong + padding }),
        ],
        [
          'decline note wrong-typed',
          () =>
            post(`/cases/${caseId}/referrals/${referralId}/decline`, 'caseworker.shelter', { reason: v.enumValue, note: [v.wrongType] }),
        ],
        [
          'outcome too long',
          () => post(`/cases/${caseId}/referrals/${referralId}/complete`, 'caseworker.shelter', { outcome: v.tooLong + padding }),
        ],
        [
          'outcome malformed',
          () => post(`/cases/${caseId}/referrals/${referralId}/complete`, 'caseworker.shelter', `{"outcome":"${v.malformed}`),
        ],
        [
          'interruption note wrong-typed',
          () => post(`/cases/${caseId}/interruption`, 'caseworker.social', { reason: 'other', note: 12, extra: v.unknownFieldValue }),
        ],
        [
          'determination reasons wrong-typed',
          () =>
            post(`/cases/${caseId}/best-interests-determinations`, 'caseworker.social', {
              ...validDetermination(shelterId),
              reasons: { why: v.wrongType },
            }),
        ],
        [
          'consent language too long',
          () => post(`/cases/${caseId}/consents`, 'caseworker.social', { ...validConsent(shelterId), language: v.tooLong + padding }),
        ],
        ['sign-in, unknown user', () => post('/auth/token', null, { username: v.username, password: v.password })],
        ['sign-in, wrong-typed', () => post('/auth/token', null, { username: [v.username], password: { secret: v.password } })],
        [
          'sign-in, unknown field',
          () => post('/auth/token', null, { username: v.username, password: v.password, remember: v.unknownFieldValue }),
        ],
        ['sign-in, malformed', () => post('/auth/token', null, `{"username":"${v.username}","password":"${v.password}`)],
        // Five wrong passwords pause the account and log it: the log line must name the user by id only.
        ...Array.from({ length: 5 }, (_, i): [string, () => Promise<Response>] => [
          `sign-in, wrong password ${i + 1}`,
          () => post('/auth/token', null, { username: 'caseworker.legal', password: v.password }),
        ]),
      ];
      const responses: Response[] = [];
      const notRefused: string[] = [];
      for (const [what, send] of requests) {
        const response = await send();
        responses.push(response);
        if (response.status < 400) notRefused.push(`${what}: ${response.status}`);
      }
      // A route that takes no body: whether it refuses one is the fuzz test's question; here only what it echoes or logs.
      responses.push(await post(`/cases/${caseId}/referrals/${referralId}/acknowledge`, 'caseworker.shelter', { note: v.noBodyRoute }));

      expect(notRefused).toEqual([]);
      const values = Object.values(IN_BAD_REQUESTS);
      expect(echoed(responses, values)).toEqual([]);
      expect(inLogs(values)).toEqual([]);
    });

    it('does not echo the name of an unknown field either: a client may key a map by a name', async () => {
      const caseId = await openCase();
      const responses = [
        await post('/cases', 'caseworker.social', { source: 'observation', ageGroup: 'adult', indicators: [], [AS_FIELD_NAME]: true }),
        await post('/cases', 'caseworker.social', {
          source: 'observation',
          ageGroup: 'adult',
          indicators: [],
          person: { identity: { fullName: 'x', [AS_FIELD_NAME]: true } },
        }),
        await post(`/cases/${caseId}/interruption`, 'caseworker.social', { reason: 'other', [AS_FIELD_NAME]: 'relocated' }),
        await post('/auth/token', null, { username: 'caseworker.clinic', password: 'not-the-password', [AS_FIELD_NAME]: 1 }),
      ];
      expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
      expect(echoed(responses, [AS_FIELD_NAME])).toEqual([]);
      expect(inLogs([AS_FIELD_NAME])).toEqual([]);
    });

    it('never logged the password, which every fuzzed sign-in body carried', () => {
      expect(inLogs([t.password]).length).toBe(0); // not toEqual([]): a failure would print the password
    });
  });
});
