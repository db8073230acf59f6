import { describe, expect, it } from '@jest/globals';
import { createLog, redact, requestIdOf, StructuredLogger } from './logging.js';

const capture = () => {
  const lines: string[] = [];
  return { lines, logger: new StructuredLogger(createLog({ write: (line: string) => void lines.push(line) })) };
};

describe('StructuredLogger', () => {
  it('writes one JSON object per line with level, context and message', () => {
    const { lines, logger } = capture();
    logger.warn('projector behind', 'Projections');
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
    const { lines, logger } = capture();
    logger.error(new Error(text), `Error: ${text}\n    at x`, 'Auth');
    expect(lines[0]).not.toMatch(/hunter2|eyJhbGci|B{43}/);
  });
});

describe('requestIdOf', () => {
  it.each(['3f1c6b7e-2a4d-4c8e-9b1a-0d2e3f4a5b6c', '0af7651916cd43dd8448eb211c80319c'])('keeps a well-formed id (%s)', (id) => {
    expect(requestIdOf(id)).toBe(id);
  });

  it.each(['Maria Popescu', 'maria.popescu@example.org', 'abc', 'x'.repeat(300), ''])('makes a new one instead of %j', (given) => {
    expect(requestIdOf(given)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
