import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Credentials shaped `<prefix>_<row id without dashes>_<secret>` (API keys, refresh tokens): the id
 * finds the row, the secret is checked against a keyed hash (HMAC under a key derived from the
 * master key), so a copy of the table opens nothing. The secret exists only in the credential.
 */
export class OpaqueCredentials {
  private readonly pattern: RegExp;

  constructor(
    private readonly prefix: 'rk' | 'rt',
    private readonly hashKey: Buffer,
  ) {
    this.pattern = new RegExp(`^${prefix}_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$`);
  }

  /** A new credential, its row id and the hash to store; the credential is shown once. */
  issue(): { id: string; credential: string; secretHash: string } {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    return { id, credential: `${this.prefix}_${id.replaceAll('-', '')}_${secret}`, secretHash: this.hash(secret) };
  }

  /** The row id and secret of a well-formed credential; undefined otherwise. */
  parse(presented: string): { id: string; secret: string } | undefined {
    const match = this.pattern.exec(presented);
    if (!match) return undefined;
    return { id: match[1]!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'), secret: match[2]! };
  }

  /** Constant-time; a missing row is compared against a dummy hash, so timing tells nothing either. */
  matches(secret: string, storedHash: string | undefined): boolean {
    const same = timingSafeEqual(Buffer.from(this.hash(secret), 'hex'), Buffer.from(storedHash ?? '0'.repeat(64), 'hex'));
    return same && storedHash !== undefined;
  }

  private hash(secret: string): string {
    return createHmac('sha256', this.hashKey).update(secret).digest('hex');
  }
}
