import { CompactEncrypt, type JWK, calculateJwkThumbprint, compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';

/**
 * The personal data an agency's feed carries is encrypted to a public key the agency registered
 * (JWE, RFC 7516, compact): only the holder of the private key can read it, not the broker, not
 * another agency, not this service once sent. EC and X25519 keys use ECDH-ES+A256KW, RSA keys
 * RSA-OAEP-256; the content is always A256GCM.
 */
export type FeedPublicJwk = JWK & { kid: string };

/** Why a key offered for registration is refused (shown to the agency admin; names no secret). */
export class UnusableFeedKeyError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'UnusableFeedKeyError';
  }
}

const EC_CURVES = ['P-256', 'P-384', 'P-521'];

function algorithmFor(jwk: JWK): 'ECDH-ES+A256KW' | 'RSA-OAEP-256' {
  if (jwk.kty === 'EC' && EC_CURVES.includes(String(jwk.crv))) return 'ECDH-ES+A256KW';
  if (jwk.kty === 'OKP' && jwk.crv === 'X25519') return 'ECDH-ES+A256KW';
  if (jwk.kty === 'RSA') return 'RSA-OAEP-256';
  throw new UnusableFeedKeyError('the key must be an EC (P-256, P-384, P-521), X25519 or RSA public key');
}

/** Checks a key an agency offers and gives it as stored: its public members only, kid its RFC 7638 thumbprint. */
export async function feedPublicKey(offered: Record<string, unknown>): Promise<FeedPublicJwk> {
  const jwk = offered as JWK;
  // A private key sent here would sit in the service's database: refuse it rather than strip it.
  if ('d' in jwk || 'p' in jwk || 'k' in jwk) throw new UnusableFeedKeyError('send the public key only, never the private key');
  algorithmFor(jwk);
  const members =
    jwk.kty === 'RSA'
      ? { kty: jwk.kty, n: jwk.n, e: jwk.e }
      : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.kty === 'EC' ? { y: jwk.y } : {}) };
  if (jwk.kty === 'RSA' && Buffer.from(jwk.n ?? '', 'base64url').length < 256) {
    throw new UnusableFeedKeyError('an RSA key must have at least 2048 bits');
  }
  try {
    await importJWK(members, algorithmFor(jwk));
  } catch {
    throw new UnusableFeedKeyError('the key is not a valid public key');
  }
  return { ...members, kid: await calculateJwkThumbprint(members, 'sha256') };
}

/** Imported once per key (kid is the key's thumbprint, so a replaced key is a new entry). */
const imported = new Map<string, ReturnType<typeof importJWK>>();

/** The value encrypted to the agency's key; `messageId` is bound into the protected header too. */
export async function encryptForAgency(jwk: FeedPublicJwk, messageId: string, value: unknown): Promise<string> {
  const alg = algorithmFor(jwk);
  if (!imported.has(jwk.kid)) imported.set(jwk.kid, importJWK(jwk, alg));
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
    .setProtectedHeader({ alg, enc: 'A256GCM', kid: jwk.kid, cty: 'application/json', mid: messageId })
    .encrypt(await imported.get(jwk.kid)!);
}

/**
 * What a partner does with its private key (the example consumer does exactly this): decrypt, and
 * check that the message id bound into the header is the message's.
 */
export async function decryptFeedPayload(privateJwk: JWK, messageId: string, jwe: string): Promise<unknown> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, await importJWK(privateJwk, String(decodeProtectedHeader(jwe).alg)));
  if (protectedHeader.mid !== messageId) throw new Error('the encrypted payload belongs to another message');
  return JSON.parse(new TextDecoder().decode(plaintext));
}
