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

/** The number of significant bits of a base64url big-endian integer (leading zero bytes and bits do not count). */
function bitLength(base64url: string | undefined): number {
  const bytes = Buffer.from(base64url ?? '', 'base64url');
  const first = bytes.findIndex((b) => b !== 0);
  return first < 0 ? 0 : (bytes.length - first - 1) * 8 + (32 - Math.clz32(bytes[first]!));
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
  if (jwk.kty === 'RSA') {
    if (bitLength(jwk.n) < 2048) throw new UnusableFeedKeyError('an RSA key must have at least 2048 bits');
    // A small public exponent (3) invites well-known attacks; 65537 is what every library makes.
    const e = bitLength(jwk.e);
    if (e < 17 || e > 256 || (Buffer.from(jwk.e ?? '', 'base64url').at(-1)! & 1) === 0) {
      throw new UnusableFeedKeyError('an RSA key must have an odd public exponent of at least 65537');
    }
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
