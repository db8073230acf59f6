/** HMAC key for idempotency fingerprints and derived ids. */
export const IDEMPOTENCY_KEY = Symbol('IdempotencyKey');
