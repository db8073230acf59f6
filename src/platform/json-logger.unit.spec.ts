import { describe, expect, it } from '@jest/globals';
import { JsonLogger, redact } from './json-logger.js';

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, context and message', () => {
    const lines: string[] = [];
    new JsonLogger((line) => lines.push(line)).warn('projector behind', 'Projections');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      context: 'Projections',
      message: 'projector behind',
      time: expect.any(String),
    });
  });

  it('redacts credentials wherever they appear, message or stack', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const key = `rk_${'a'.repeat(32)}_${'B'.repeat(43)}`;
    const refresh = `rt_${'c'.repeat(32)}_${'D'.repeat(43)}`;
    const text = `Authorization: Bearer ${jwt} ApiKey ${key} token=${jwt} refresh ${refresh} {"password":"hunter2"} password=hunter2`;
    const cleaned = redact(text);
    for (const secret of [jwt, key, refresh, 'hunter2', 'B'.repeat(43), 'D'.repeat(43)]) expect(cleaned).not.toContain(secret);
    const lines: string[] = [];
    new JsonLogger((line) => lines.push(line)).error(new Error(text), `Error: ${text}\n    at x`, 'Auth');
    expect(lines[0]).not.toMatch(/hunter2|eyJhbGci|B{43}/);
  });

  it("redacts a URL's user:password@ (KURRENTDB_URL's, a database URL's), an unencoded @ in the password too", () => {
    const text = 'cannot connect to kurrentdb://admin:p@ss-Word@node1:2113?tls=true nor postgres://app:Hunter-3@db:5432/referrals';
    expect(redact(text)).toBe('cannot connect to kurrentdb://[redacted]@node1:2113?tls=true nor postgres://[redacted]@db:5432/referrals');
  });
});
