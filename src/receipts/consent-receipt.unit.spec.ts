import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { receiptId } from './consent-receipt.js';
import { ReceiptSigner } from './receipt-signer.js';
import { CASE, CONSENT, given, partial, GIVEN, FIRST, SECOND, receipt } from './testing/receipt-fixtures.js';

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
