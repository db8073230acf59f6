import { type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { CompactSign, type JWK, calculateJwkThumbprint } from 'jose';

/** PKCS#8 DER of an Ed25519 private key, up to the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type ReceiptJwk = JWK & { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };

/**
 * Signs consent receipts as compact JWS (EdDSA over Ed25519). The key pair is built from a seed
 * derived from the master key, so every instance sharing the master key signs with the same key
 * and nothing more has to be stored or backed up. Ed25519 signatures are deterministic (RFC 8032):
 * the same receipt always gives the same JWS.
 */
export class ReceiptSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    /** The public key as published at /.well-known/jwks.json; kid is its RFC 7638 thumbprint. */
    readonly jwk: ReceiptJwk,
  ) {}

  static async fromSeed(seed: Buffer): Promise<ReceiptSigner> {
    if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
    if (kty !== 'OKP' || crv !== 'Ed25519' || !x) throw new Error('not an Ed25519 key');
    const kid = await calculateJwkThumbprint({ kty, crv, x }, 'sha256');
    return new ReceiptSigner(privateKey, { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' });
  }

  /** The raw public key, base64url (the JWK's `x`): the receipt's publicKey field. */
  get publicKey(): string {
    return this.jwk.x;
  }

  jwks(): { keys: ReceiptJwk[] } {
    return { keys: [this.jwk] };
  }

  sign(payload: object): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', kid: this.jwk.kid })
      .sign(this.privateKey);
  }
}
