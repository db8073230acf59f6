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
});
