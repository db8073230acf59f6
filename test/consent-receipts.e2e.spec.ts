import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { type JSONWebKeySet, compactVerify, createLocalJWKSet } from 'jose';
import type { Response } from 'supertest';
import { MasterKey } from '../libs/crypto/index.js';
import { deriveKey } from '../src/platform/secrets.js';
import { ReceiptSigner } from '../src/receipts/receipt-signer.js';
import { useTestApp } from './support/test-app.js';

const PERSON = {
  identity: { fullName: 'Zainab Receipt-Person', otherNames: ['Zee Fictional'], dateOfBirth: '2000-02-02' },
  contact: { phone: '+234 800 555 0199', safeToContact: false, safeContactNotes: 'only via the receipt-test aunt' },
  location: { area: 'Fictional Receipt Camp 9' },
  demographics: { sex: 'female', ageBand: '18-24', nationality: 'Receiptland' },
};
const NOTE = 'Receipt-test note: prefers mornings.';
const PERSONAL_VALUES = [
  'Zainab',
  'Receipt-Person',
  'Zee Fictional',
  '2000-02-02',
  '+234 800 555 0199',
  'receipt-test aunt',
  'Fictional Receipt Camp 9',
  'Receiptland',
  'prefers mornings',
];
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

const decodePayload = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('consent receipts: signed Kantara receipts, a public JWKS, printable text (pglite)', () => {
  const masterKey = randomBytes(32).toString('base64');
  const t = useTestApp({ settings: { MASTER_KEY: masterKey } });
  let caseId: string;
  let shelterId: string;
  let ownerName: string;
  let jwks: JSONWebKeySet;
  let consentId: string;
  /** Every receipt answer, to search for personal data at the end. */
  const seen: string[] = [];

  const get = async (path: string, username = 'caseworker.social') => {
    const response = await t.http.get(path).set(await t.bearer(username));
    seen.push(response.text);
    return response;
  };
  const giveConsent = async (language: string, provisions: object[], onCase = caseId) =>
    (
      await t.http
        .post(`/cases/${onCase}/consents`)
        .set(await t.bearer('caseworker.social'))
        .send({
          grantor: 'person',
          method: 'verbal',
          language,
          interpreterUsed: language !== 'en',
          noticeVersion: 'notice-2026-01',
          provisions,
        })
        .expect(201)
    ).body as { consentId: string; provisionIds: string[] };
  const receiptsPath = (consent: string, leaf: string, onCase = caseId) => `/cases/${onCase}/consents/${consent}/${leaf}`;
  /** The person's case with an English consent to the shelter and to any legal aid service, referred to the shelter. */
  const consentedCase = async () => {
    const opened = (
      await t.http
        .post('/cases')
        .set(await t.bearer('caseworker.social'))
        .send({ source: 'observation', indicators: ['work.forced_to_work'], ageGroup: 'adult', person: PERSON })
        .expect(201)
    ).body.caseId as string;
    const given = await giveConsent(
      'en',
      [
        { recipient: { agencyId: shelterId }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity', 'safety'] },
        {
          recipient: { agencyKind: 'legal_aid' },
          purpose: 'legal_assistance',
          categories: ['legal_status'],
          validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        },
      ],
      opened,
    );
    await t.http
      .post(`/cases/${opened}/referrals`)
      .set(await t.bearer('caseworker.social'))
      .send({
        toAgencyId: shelterId,
        purpose: 'service_provision',
        serviceType: 'shelter',
        sharedCategories: ['identity', 'safety'],
        note: NOTE,
      })
      .expect(201);
    return { caseId: opened, ...given };
  };
  /** A consented case whose shelter provision was withdrawn by a caseworker, then the rest by a supervisor. */
  const withdrawnTwice = async () => {
    const consented = await consentedCase();
    const withdrawal = `/cases/${consented.caseId}/consents/${consented.consentId}/withdrawal`;
    await t.http
      .post(withdrawal)
      .set(await t.bearer('caseworker.social'))
      .send({ provisionIds: [consented.provisionIds[0]] })
      .expect(200);
    await t.http
      .post(withdrawal)
      .set(await t.bearer('supervisor.social'))
      .send({})
      .expect(200);
    return consented;
  };

  // The case, its consent as given and the published key: read by every scenario, changed by none.
  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');
    ownerName = (
      await t.db.query<{ name: string }>(
        `SELECT a.name FROM agencies a JOIN users u ON u.agency_id = a.id WHERE u.username = 'caseworker.social'`,
      )
    )[0]!.name;
    ({ caseId, consentId } = await consentedCase());
    jwks = JSON.parse((await t.http.get('/.well-known/jwks.json').expect(200)).text) as JSONWebKeySet;
  });
  // Every scenario reads receipts: none of their answers, signed payloads included, nor the logs may hold a personal value.
  afterEach(() => {
    const answers = seen.splice(0);
    const everything = [
      ...answers,
      ...answers.flatMap((text) => (text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []).map((jws) => JSON.stringify(decodePayload(jws)))),
    ].join('\n');
    for (const value of [...PERSONAL_VALUES, NOTE]) expect(everything).not.toContain(value);
    const logs = t.logs.lines.join('\n');
    for (const value of [...PERSONAL_VALUES, NOTE]) expect(logs).not.toContain(value);
  });

  it('publishes the signing key at /.well-known/jwks.json to anyone, without signing in', async () => {
    const response = await t.http.get('/.well-known/jwks.json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    const published = JSON.parse(response.text) as JSONWebKeySet;
    expect(published).toEqual(jwks);
    expect(published.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' },
    ]);
    expect(JSON.stringify(published)).not.toMatch(/"d"/); // never the private part
  });

  it('signs with the key derived from the master key: any instance with the same master key has the same one', async () => {
    const expected = await ReceiptSigner.fromSeed(deriveKey(MasterKey.fromBase64(masterKey), 'consent-receipt-signing'));
    expect(jwks.keys[0]).toEqual(expected.jwk);
  });

  it('gives the owning agency the receipt of the consent as given, verifiable with the published key alone', async () => {
    const response = await get(receiptsPath(consentId, 'receipt'));
    expect(response.status).toBe(200);
    const { event, receipt, jws } = response.body as { event: string; receipt: Record<string, any>; jws: string };
    expect(event).toBe('given');
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks));
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: jwks.keys[0]!.kid });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(receipt);
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'NG',
      collectionMethod: 'verbal, given by the person',
      language: 'en',
      piiPrincipalId: caseId,
      publicKey: jwks.keys[0]!.x,
      sensitive: true,
      spiCat: ['legal_status'],
      piiControllers: [expect.objectContaining({ piiController: ownerName })],
      consentReceiptID: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(Math.abs(receipt.consentTimestamp - Date.now() / 1000)).toBeLessThan(600);
    expect(receipt.services).toEqual([
      {
        service: expect.stringContaining('Shelter'),
        purposes: [
          expect.objectContaining({
            purposeCategory: ['service_provision'],
            piiCategory: ['identity', 'safety'],
            termination: 'until withdrawn',
            thirdPartyDisclosure: true,
            thirdPartyName: expect.stringContaining('Shelter'),
          }),
        ],
      },
      {
        service: 'Referral to any legal aid service in the network',
        purposes: [
          expect.objectContaining({
            purposeCategory: ['legal_assistance'],
            piiCategory: ['legal_status'],
            termination: expect.stringMatching(/^\d{4}-/),
          }),
        ],
      },
    ]);
  });

  it('gives the same signed receipt again, to any caseworker or supervisor of the agency', async () => {
    const first = (await get(receiptsPath(consentId, 'receipt'))).body;
    const again = (await get(receiptsPath(consentId, 'receipt'))).body;
    const supervisor = (await get(receiptsPath(consentId, 'receipt'), 'supervisor.social')).body;
    expect(again).toEqual(first);
    expect(supervisor.jws).toBe(first.jws);
  });

  it('refuses a tampered receipt', async () => {
    const { jws } = (await get(receiptsPath(consentId, 'receipt'))).body as { jws: string };
    const [header, , signature] = jws.split('.');
    const forged = { ...decodePayload(jws), piiPrincipalId: '00000000-0000-4000-8000-000000000000' };
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(compactVerify(tampered, createLocalJWKSet(jwks))).rejects.toThrow(/signature verification failed/);
    // And one signed with another key under the published kid.
    const impostor = await ReceiptSigner.fromSeed(randomBytes(32));
    const [, , otherSignature] = (await impostor.sign(decodePayload(jws))).split('.');
    await expect(compactVerify(`${header}.${jws.split('.')[1]}.${otherSignature}`, createLocalJWKSet(jwks))).rejects.toThrow(
      /signature verification failed/,
    );
  });

  it('gives a receipt for each withdrawal, listed after the receipt of the consent as given', async () => {
    const { caseId: withdrawnCase, consentId: withdrawn } = await withdrawnTwice();
    const listed = (await get(receiptsPath(withdrawn, 'receipts', withdrawnCase))).body as Array<{
      event: string;
      withdrawal?: number;
      receipt: Record<string, any>;
      jws: string;
    }>;
    expect(listed.map((r) => [r.event, r.withdrawal])).toEqual([
      ['given', undefined],
      ['withdrawal', 1],
      ['withdrawal', 2],
    ]);
    for (const r of listed)
      expect(JSON.parse(new TextDecoder().decode((await compactVerify(r.jws, createLocalJWKSet(jwks))).payload))).toEqual(r.receipt);
    expect(new Set(listed.map((r) => r.receipt.consentReceiptID)).size).toBe(3);
    const [given, first, second] = listed.map((r) => r.receipt);
    expect(given!.services.flatMap((s: any) => s.purposes.map((p: any) => p.termination))[0]).toBe('until withdrawn');
    expect(first!.services.flatMap((s: any) => s.purposes.map((p: any) => [p.purposeCategory[0], p.termination]))).toEqual([
      ['service_provision', expect.stringMatching(/^withdrawn \d{4}-/)],
    ]);
    expect(first!.collectionMethod).toBe('withdrawal recorded by the agency (part of the consent)');
    expect(second!.services.flatMap((s: any) => s.purposes.map((p: any) => p.purposeCategory[0]))).toEqual(['legal_assistance']);
    expect(second!.collectionMethod).toBe('withdrawal recorded by the agency (the whole consent)');
    expect(second!.consentTimestamp).toBeGreaterThanOrEqual(first!.consentTimestamp);
    // One of them alone, by number; the same as listed.
    const one = (await get(`${receiptsPath(withdrawn, 'receipt', withdrawnCase)}?withdrawal=1`)).body;
    expect(one).toEqual(listed[1]);
    expectProblem(await get(`${receiptsPath(withdrawn, 'receipt', withdrawnCase)}?withdrawal=3`), 404);
    expectProblem(await get(`${receiptsPath(withdrawn, 'receipt', withdrawnCase)}?withdrawal=0`), 400);
    expectProblem(await get(`${receiptsPath(withdrawn, 'receipt', withdrawnCase)}?withdrawal=first`), 400);
  });

  it('prints the receipt in plain English for an English consent: who, when, what, why, until when, how to withdraw, the receipt number', async () => {
    const response = await get(receiptsPath(consentId, 'receipt.txt'));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['content-language']).toBe('en');
    const id = (await get(receiptsPath(consentId, 'receipt'))).body.receipt.consentReceiptID as string;
    const heard = response.text.replace(/\s+/g, ' ');
    expect(response.text.startsWith('RECORD OF YOUR AGREEMENT TO SHARE INFORMATION')).toBe(true);
    expect(heard).toContain(`Receipt number: ${id}`);
    expect(heard).toContain(`caseworker.social of ${ownerName} wrote down that you agreed`);
    expect(heard).toContain('1. Safe Haven Women and Girls Shelter (demo) What: who you are');
    expect(heard).toContain('Why: to give you this help: a safe place to stay.');
    expect(heard).toContain('Until you ask to stop.');
    expect(heard).toContain('2. Any legal aid service in the network What: your legal situation and your papers.');
    expect(heard).toContain('You can change your mind at any time');
    expect(heard.trim().endsWith(`give this receipt number: ${id}`)).toBe(true);
    // No id but the receipt number: not the case, the consent, an agency or a user.
    expect([...new Set(response.text.match(UUIDS))]).toEqual([id]);
  });

  it('prints the receipt of a withdrawal, naming who recorded it and what stopped', async () => {
    const { caseId: withdrawnCase, consentId: withdrawn } = await withdrawnTwice();
    const second = (await get(`${receiptsPath(withdrawn, 'receipt', withdrawnCase)}?withdrawal=2`)).body.receipt.consentReceiptID as string;
    const response = await get(`${receiptsPath(withdrawn, 'receipt.txt', withdrawnCase)}?withdrawal=2`);
    expect(response.status).toBe(200);
    const heard = response.text.replace(/\s+/g, ' ');
    expect(heard).toContain('RECORD OF YOUR DECISION TO STOP SHARING INFORMATION');
    expect(heard).toContain(`supervisor.social of ${ownerName} wrote down that you asked`);
    expect(heard).toContain('1. Any legal aid service in the network');
    expect(heard).not.toContain('Shelter');
    expect(heard).toContain('Nothing more is shared under that agreement.');
    expect([...new Set(response.text.match(UUIDS))]).toEqual([second]);
    const first = (await get(`${receiptsPath(withdrawn, 'receipt.txt', withdrawnCase)}?withdrawal=1`)).text.replace(/\s+/g, ' ');
    expect(first).toContain('Nothing changes for the rest of what you agreed to');
  });

  it('prints the receipt of a French consent in French', async () => {
    const french = await giveConsent('fr', [
      { recipient: { agencyId: shelterId }, purpose: 'case_management', categories: ['case_progress'] },
    ]);
    const response = await get(receiptsPath(french.consentId, 'receipt.txt'));
    expect(response.headers['content-language']).toBe('fr');
    const heard = response.text.replace(/\s+/g, ' ');
    expect(response.text.startsWith('RELEVÉ DE VOTRE ACCORD POUR PARTAGER DES INFORMATIONS')).toBe(true);
    expect(heard).toContain(`caseworker.social, de ${ownerName}, a noté que vous avez accepté`);
    expect(heard).toContain("Quoi : l'avancement de votre dossier (seulement son état et les dates).");
    expect(heard).toContain("Pourquoi : pour suivre votre situation et organiser l'aide que vous recevez.");
    expect(heard).toContain('Un interprète était là pour traduire.');
    expect(heard).toContain("Vous pouvez changer d'avis à tout moment");
    expect((await get(receiptsPath(french.consentId, 'receipt'))).body.receipt.language).toBe('fr');
  });

  it('gives the English text for any other language, headed by a line for the interpreter to read it out in that language', async () => {
    for (const [language, name] of [
      ['ha', 'HAUSA'],
      ['kr', 'KANURI'],
    ] as const) {
      const other = await giveConsent(language, [
        { recipient: { agencyId: shelterId }, purpose: 'service_provision', serviceTypes: ['medical'], categories: ['health'] },
      ]);
      const response = await get(receiptsPath(other.consentId, 'receipt.txt'));
      expect(response.headers['content-language']).toBe('en');
      expect(response.text.startsWith(`TO BE READ OUT IN ${name} BY THE INTERPRETER.`)).toBe(true);
      expect(response.text).toContain('RECORD OF YOUR AGREEMENT TO SHARE INFORMATION');
      expect((await get(receiptsPath(other.consentId, 'receipt'))).body.receipt.language).toBe(language);
    }
  });

  it('answers another agency, the one the case was referred to included, as if the case did not exist', async () => {
    for (const leaf of ['receipt', 'receipts', 'receipt.txt']) {
      const asShelter = await get(receiptsPath(consentId, leaf), 'caseworker.shelter');
      const asPolice = await get(receiptsPath(consentId, leaf), 'officer.police');
      const nowhere = await get(`/cases/00000000-0000-4000-8000-000000000000/consents/${consentId}/${leaf}`, 'officer.police');
      for (const response of [asShelter, asPolice, nowhere]) {
        expectProblem(response, 404);
        expect(response.body.detail).toBe('case not found');
      }
      // The frontline worker who recorded the consent may hand over its receipt; an auditor may not fetch one.
      expect((await get(receiptsPath(consentId, leaf), 'frontline.social')).status).toBe(200);
      expectProblem(await get(receiptsPath(consentId, leaf), 'auditor.justice'), 403);
      expectProblem(await t.http.get(receiptsPath(consentId, leaf)), 401);
    }
    expectProblem(await get(receiptsPath('00000000-0000-4000-8000-000000000000', 'receipt')), 404);
    expectProblem(await get(receiptsPath('not-a-consent', 'receipt')), 400);
  });
});
