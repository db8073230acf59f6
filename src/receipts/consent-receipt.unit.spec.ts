import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import type { ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import { type ReceiptEvent, consentReceipt, receiptId } from './consent-receipt.js';
import { languageName, readOutLine, receiptText, writtenLanguageFor } from './receipt-text.js';
import { ReceiptSigner } from './receipt-signer.js';

const CASE = '6f1d8c52-0d6b-4c39-9a43-2a0c7b1e9a10';
const SHELTER = 'a0000000-0000-4000-8000-000000000002';
const CONSENT = 'c1000000-0000-4000-8000-000000000001';
const P_SHELTER = 'b1000000-0000-4000-8000-000000000001';
const P_LEGAL = 'b1000000-0000-4000-8000-000000000002';
const P_HEALTH = 'b1000000-0000-4000-8000-000000000003';
const WORKER = 'd0000000-0000-4000-8000-000000000001';

const given: ConsentGiven['data'] = {
  consentId: CONSENT,
  grantor: 'person',
  method: 'verbal',
  language: 'en',
  interpreterUsed: true,
  noticeVersion: 'notice 2026/01',
  recordedBy: WORKER,
  givenAt: '2026-03-12T14:05:00.000Z',
  provisions: [
    {
      provisionId: P_SHELTER,
      recipient: { agencyId: SHELTER },
      purpose: 'service_provision',
      serviceTypes: ['shelter', 'wash'],
      categories: ['identity', 'safety'],
      validFrom: '2026-03-12T14:05:00.000Z',
    },
    {
      provisionId: P_LEGAL,
      recipient: { agencyKind: 'legal_aid' },
      purpose: 'legal_assistance',
      serviceTypes: [],
      categories: ['legal_status'],
      validFrom: '2026-03-12T14:05:00.000Z',
      validUntil: '2026-07-01T00:00:00.000Z',
    },
    {
      provisionId: P_HEALTH,
      recipient: { agencyId: SHELTER },
      purpose: 'case_management',
      serviceTypes: [],
      categories: ['health'],
      validFrom: '2026-04-01T09:00:00.000Z',
    },
  ],
};
const partial: ConsentWithdrawn['data'] = {
  consentId: CONSENT,
  provisionIds: [P_SHELTER],
  whole: false,
  recordedBy: WORKER,
  withdrawnAt: '2026-03-20T10:00:00.000Z',
};
const rest: ConsentWithdrawn['data'] = {
  consentId: CONSENT,
  provisionIds: [P_LEGAL, P_HEALTH],
  whole: true,
  recordedBy: WORKER,
  withdrawnAt: '2026-03-25T10:00:00.000Z',
};

const names = new Map([
  [SHELTER, 'Safe Haven Shelter'],
  ['owner', 'Demo Social Services'],
]);
const GIVEN: ReceiptEvent = { kind: 'given' };
const FIRST: ReceiptEvent = { kind: 'withdrawal', number: 1, data: partial };
const SECOND: ReceiptEvent = { kind: 'withdrawal', number: 2, data: rest };
const receipt = (event: ReceiptEvent, overrides: Partial<ConsentGiven['data']> = {}) =>
  consentReceipt({
    caseId: CASE,
    given: { ...given, ...overrides },
    event,
    ownerName: 'Demo Social Services',
    agencyNames: names,
    publicKey: 'PUBLIC',
  });
const text = (
  event: ReceiptEvent,
  overrides: Partial<ConsentGiven['data']> = {},
  earlierWithdrawals: Array<ConsentWithdrawn['data']> = [],
) =>
  receiptText({
    receiptId: receiptId(CONSENT, event),
    given: { ...given, ...overrides },
    event,
    earlierWithdrawals,
    ownerName: 'Demo Social Services',
    recorderName: 'Grace Caseworker',
    agencyNames: names,
  });

/** The text with line breaks undone: what a listener hears. */
const flat = (t: string) => t.replace(/\s+/g, ' ');

/** Ids the printable text must never show: only the receipt number may appear. */
const OTHER_IDS = [CASE, SHELTER, CONSENT, P_SHELTER, P_LEGAL, P_HEALTH, WORKER];

describe('consent receipt (Kantara CR v1.1.0 fields)', () => {
  it('carries the header fields: version, jurisdiction, epoch-seconds timestamp, method, id, key, language, pseudonymous principal', () => {
    const r = receipt(GIVEN);
    expect(r).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'NG',
      consentTimestamp: Date.parse(given.givenAt) / 1000,
      collectionMethod: 'verbal, given by the person, through an interpreter',
      consentReceiptID: receiptId(CONSENT, GIVEN),
      publicKey: 'PUBLIC',
      language: 'en',
      piiPrincipalId: CASE,
      policyUrl: 'urn:referral-coordination:consent-notice:notice%202026%2F01',
    });
    expect(Number.isInteger(r.consentTimestamp)).toBe(true);
    expect(Object.keys(r)).toEqual([
      'version',
      'jurisdiction',
      'consentTimestamp',
      'collectionMethod',
      'consentReceiptID',
      'publicKey',
      'language',
      'piiPrincipalId',
      'piiControllers',
      'policyUrl',
      'services',
      'sensitive',
      'spiCat',
    ]);
  });

  it('names the owning agency as the one controller', () => {
    expect(receipt(GIVEN).piiControllers).toEqual([
      { piiController: 'Demo Social Services', onBehalf: false, contact: 'Demo Social Services', address: {}, email: '', phone: '' },
    ]);
  });

  it('maps each provision to its own purpose, grouped into one service per recipient, recipients as third parties', () => {
    expect(receipt(GIVEN).services).toEqual([
      {
        service: 'Referral to Safe Haven Shelter',
        purposes: [
          {
            purpose: 'to give you this help: a safe place to stay and water, washing and toilets',
            purposeCategory: ['service_provision'],
            consentType: 'EXPLICIT',
            piiCategory: ['identity', 'safety'],
            primaryPurpose: true,
            termination: 'until withdrawn',
            thirdPartyDisclosure: true,
            thirdPartyName: 'Safe Haven Shelter',
          },
          {
            purpose: 'to follow your situation and arrange the help you get',
            purposeCategory: ['case_management'],
            consentType: 'EXPLICIT',
            piiCategory: ['health'],
            primaryPurpose: true,
            termination: 'until withdrawn',
            thirdPartyDisclosure: true,
            thirdPartyName: 'Safe Haven Shelter',
          },
        ],
      },
      {
        service: 'Referral to any legal aid service in the network',
        purposes: [
          {
            purpose: 'to give you legal advice and help',
            purposeCategory: ['legal_assistance'],
            consentType: 'EXPLICIT',
            piiCategory: ['legal_status'],
            primaryPurpose: true,
            termination: '2026-07-01T00:00:00.000Z',
            thirdPartyDisclosure: true,
            thirdPartyName: 'any legal aid service in the network',
          },
        ],
      },
    ]);
  });

  it('is always sensitive, listing the special categories it involves', () => {
    expect(receipt(GIVEN)).toMatchObject({ sensitive: true, spiCat: ['health', 'legal_status'] });
    expect(receipt(FIRST)).toMatchObject({ sensitive: true, spiCat: [] });
  });

  it("records a guardian's consent with the child's assent in the collection method", () => {
    expect(receipt(GIVEN, { grantor: 'guardian', childAssent: true, method: 'written', interpreterUsed: false }).collectionMethod).toBe(
      "written, given by a guardian with the child's assent",
    );
  });

  it('gives a withdrawal its own receipt: its instant, only the provisions it ended, terminated then', () => {
    const r = receipt(FIRST);
    expect(r.consentTimestamp).toBe(Date.parse(partial.withdrawnAt) / 1000);
    expect(r.collectionMethod).toBe('withdrawal recorded by the agency (part of the consent)');
    expect(r.services.flatMap((s) => s.purposes.map((p) => [p.purposeCategory[0], p.termination]))).toEqual([
      ['service_provision', 'withdrawn 2026-03-20T10:00:00.000Z'],
    ]);
    expect(receipt(SECOND).services.flatMap((s) => s.purposes.map((p) => p.purposeCategory[0]))).toEqual([
      'legal_assistance',
      'case_management',
    ]);
  });

  it('derives receipt ids from the consent and the event: the same again, distinct per event, name-based UUIDs', () => {
    const ids = [GIVEN, FIRST, SECOND].map((e) => receiptId(CONSENT, e));
    expect(new Set(ids).size).toBe(3);
    expect([GIVEN, FIRST, SECOND].map((e) => receiptId(CONSENT, e))).toEqual(ids);
    expect(
      receiptId(CONSENT, { kind: 'withdrawal', number: 9, data: { ...partial, provisionIds: [...partial.provisionIds].reverse() } }),
    ).toBe(ids[1]);
    expect(receiptId('c1000000-0000-4000-8000-000000000009', GIVEN)).not.toBe(ids[0]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same, byte for byte, for the same events', () => {
    expect(JSON.stringify(receipt(FIRST))).toBe(JSON.stringify(receipt(FIRST)));
  });
});

describe('receipt signer', () => {
  it('signs with a key built from the seed: the same seed, the same key and the same JWS; verifiable with the JWKS alone', async () => {
    const seed = randomBytes(32);
    const [a, b] = await Promise.all([ReceiptSigner.fromSeed(seed), ReceiptSigner.fromSeed(Buffer.from(seed))]);
    expect(a.jwk).toEqual(b.jwk);
    expect(a.jwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const jws = await a.sign(receipt(GIVEN));
    expect(await b.sign(receipt(GIVEN))).toBe(jws);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'EdDSA', kid: a.jwk.kid });
    const { payload } = await compactVerify(jws, createLocalJWKSet(a.jwks()));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(receipt(GIVEN));
    const other = await ReceiptSigner.fromSeed(randomBytes(32));
    expect(other.jwk.kid).not.toBe(a.jwk.kid);
    await expect(compactVerify(jws, createLocalJWKSet({ keys: [{ ...other.jwk, kid: a.jwk.kid }] }))).rejects.toThrow();
  });

  it('refuses a seed that is not 32 bytes', async () => {
    await expect(ReceiptSigner.fromSeed(randomBytes(16))).rejects.toThrow(/32 bytes/);
  });
});

describe('printable receipt', () => {
  it('says in plain English who recorded it, when, what each recipient may receive and why, until when, how to withdraw, and the receipt number', () => {
    const { language, text: t } = text(GIVEN);
    expect(language).toBe('en');
    const heard = flat(t);
    expect(t).toContain(`Receipt number: ${receiptId(CONSENT, GIVEN)}`);
    expect(heard).toContain(
      'On 12 March 2026 at 14:05 (UTC), Grace Caseworker of Demo Social Services wrote down that you agreed to let Demo Social Services share',
    );
    expect(heard).toContain('You gave your agreement out loud. An interpreter helped.');
    expect(t).toContain(
      '1. Safe Haven Shelter\n   What: who you are (your name and other identity details); risks to\n   your safety and your safety plan.',
    );
    expect(heard).toContain('Why: to give you this help: a safe place to stay and water, washing and toilets.');
    expect(heard).toContain(
      '2. Any legal aid service in the network What: your legal situation and your papers. Why: to give you legal advice and help. Until 1 July 2026 at 00:00 (UTC), unless you ask to stop before then.',
    );
    expect(heard).toContain(
      '3. Safe Haven Shelter What: your health. Why: to follow your situation and arrange the help you get. From 1 April 2026 at 09:00 (UTC). Until you ask to stop.',
    );
    expect(heard).toContain(
      'You can change your mind at any time, about all of this or only part of it. Tell Demo Social Services and the sharing will stop.',
    );
    expect(heard.trimEnd().endsWith(`When you ask about this, give this receipt number: ${receiptId(CONSENT, GIVEN)}`)).toBe(true);
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(72);
  });

  it('writes it in French for a French consent (fr, fr-CA)', () => {
    for (const tag of ['fr', 'fr-CA']) {
      const { language, text: t } = text(GIVEN, { language: tag });
      expect(language).toBe('fr');
      expect(t).toContain(`Numéro du reçu : ${receiptId(CONSENT, GIVEN)}`);
      const heard = flat(t);
      expect(heard).toContain(
        'Le 12 mars 2026 à 14:05 (heure UTC), Grace Caseworker, de Demo Social Services, a noté que vous avez accepté',
      );
      expect(heard).toContain('Quoi : qui vous êtes');
      expect(heard).toContain("Pourquoi : pour vous apporter cette aide : un lieu sûr où loger et l'eau, l'hygiène et les toilettes.");
      expect(heard).toContain("Jusqu'au 1 juillet 2026 à 00:00 (heure UTC), sauf si vous demandez d'arrêter avant.");
      expect(heard).toContain("Vous pouvez changer d'avis à tout moment");
      expect(heard).toContain(`donnez ce numéro de reçu : ${receiptId(CONSENT, GIVEN)}`);
      expect(t).not.toMatch(/\b(What|Why|Until|Receipt number)\b/);
    }
  });

  it('gives the English text for any other language, headed by a line for the interpreter to read it out in that language', () => {
    for (const [tag, name] of [
      ['ha', 'Hausa'],
      ['kr', 'Kanuri'],
      ['ff-Latn-NG', 'Fula (Latin, Nigeria)'],
    ] as const) {
      const { language, text: t } = text(GIVEN, { language: tag });
      expect(language).toBe('en');
      expect(t.startsWith(`TO BE READ OUT IN ${name.toUpperCase()} BY THE INTERPRETER.`)).toBe(true);
      expect(flat(t)).toContain(
        `There is no written version in ${name} yet, so the text below is in English: read it out to the person in ${name}.`,
      );
      expect(t).toContain('RECORD OF YOUR AGREEMENT TO SHARE INFORMATION');
    }
    expect(readOutLine('zz-not a tag')).toContain('READ OUT IN "ZZ-NOT A TAG"');
    expect(languageName('qqq')).toBe('"qqq"');
    expect([writtenLanguageFor('EN-gb'), writtenLanguageFor('fr_BE'), writtenLanguageFor('ha')]).toEqual(['en', 'fr', undefined]);
  });

  it("says for a guardian's consent that the guardian agreed and the child said yes", () => {
    const heard = flat(text(GIVEN, { grantor: 'guardian', childAssent: true, method: 'written', interpreterUsed: false }).text);
    expect(heard).toContain('Your guardian agreed to this, and you said yes too. You gave your agreement in writing. WHO MAY');
  });

  it('tells of a withdrawal: what stops, and whether anything of the agreement is left', () => {
    const first = flat(text(FIRST).text);
    expect(first).toContain('RECORD OF YOUR DECISION TO STOP SHARING INFORMATION');
    expect(first).toContain(
      'On 20 March 2026 at 10:00 (UTC), Grace Caseworker of Demo Social Services wrote down that you asked Demo Social Services to stop sharing',
    );
    expect(first).toContain('1. Safe Haven Shelter');
    expect(first).toContain('It was to give you this help: a safe place to stay');
    expect(first).not.toContain('legal');
    expect(first).toContain('Nothing changes for the rest of what you agreed to on 12 March 2026');
    const second = flat(text(SECOND, {}, [partial]).text);
    expect(second).toContain('Nothing more is shared under that agreement.');
    expect(second).toContain(
      '1. Any legal aid service in the network What: your legal situation and your papers. It was to give you legal advice and help. 2. Safe Haven Shelter',
    );
    expect(text(SECOND, { language: 'fr' }, [partial]).text).toContain("Plus rien n'est partagé dans le cadre de cet accord.");
    expect(text(FIRST, { language: 'fr' }).text).toContain("CE QUI S'ARRÊTE MAINTENANT");
  });

  it('names a staff member of the agency when the recorder is not in the directory', () => {
    const t = receiptText({
      receiptId: receiptId(CONSENT, GIVEN),
      given,
      event: GIVEN,
      ownerName: 'Demo Social Services',
      agencyNames: names,
    }).text;
    expect(flat(t)).toContain('(UTC), a staff member of Demo Social Services wrote down');
  });

  it('shows no id but the receipt number', () => {
    for (const [event, earlier] of [
      [GIVEN, []],
      [FIRST, []],
      [SECOND, [partial]],
    ] as const) {
      for (const language of ['en', 'fr', 'ha']) {
        const t = text(event, { language }, [...earlier]).text;
        for (const id of OTHER_IDS) expect(t).not.toContain(id);
        expect(t.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)).toEqual([
          receiptId(CONSENT, event),
          receiptId(CONSENT, event),
        ]);
      }
    }
  });
});
