import { hkdfSync } from 'node:crypto';
import type { MasterKey } from '../../libs/crypto/index.js';

/**
 * Keys the service derives from its master key, one per use (HKDF with a distinct label), so the
 * embedded mode needs a single secret file and no key is ever used for two purposes.
 */
export function deriveKey(
  masterKey: MasterKey,
  purpose:
    | 'jwt-signing'
    | 'idempotency-fingerprint'
    | 'api-key-hash'
    | 'refresh-token-hash'
    | 'consent-receipt-signing'
    | 'event-authentication'
    | 'rate-limit-keys',
): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(masterKey.toBase64(), 'base64'), Buffer.alloc(0), `referral-coordination/${purpose}`, 32),
  );
}
