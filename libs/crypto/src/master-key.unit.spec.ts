import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyUnwrapError, MasterKey } from './master-key.js';

const caseId = randomUUID();

describe('MasterKey', () => {
  it('reads back the key it was given', () => {
    const text = randomBytes(32).toString('base64');
    expect(MasterKey.fromBase64(text).toBase64()).toBe(text);
    expect(MasterKey.fromBase64(`${text}\n`).toBase64()).toBe(text);
  });

  it.each([
    ['short', randomBytes(31).toString('base64')],
    ['long', randomBytes(33).toString('base64')],
    ['not base64', `${randomBytes(30).toString('base64').slice(0, 40)}!!!=`],
    ['base64url', Buffer.from(Array(32).fill(0xfb)).toString('base64url')],
    ['valid key with trailing junk', `${randomBytes(32).toString('base64')}xyz`],
    ['empty', ''],
  ])('rejects a %s value, naming MASTER_KEY without echoing the value', (_, text) => {
    let message = '';
    try {
      MasterKey.fromBase64(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MASTER_KEY');
    expect(message).toContain('32');
    if (text) expect(message).not.toContain(text.slice(0, 8));
  });

  it('has an id that names the key without revealing it', () => {
    const key = MasterKey.generate();
    const raw = Buffer.from(key.toBase64(), 'base64');
    expect(key.id).toMatch(/^[0-9a-f]{8}$/);
    expect(raw.toString('hex')).not.toContain(key.id);
    expect(MasterKey.fromBase64(key.toBase64()).id).toBe(key.id);
    expect(MasterKey.generate().id).not.toBe(key.id);
    expect(MasterKey.fromBase64(key.toBase64(), 'kms-v7').id).toBe('kms-v7');
  });

  it('does not print its key through JSON or console.log', () => {
    const key = MasterKey.generate();
    const raw = Buffer.from(key.toBase64(), 'base64');
    for (const text of [JSON.stringify({ key }), inspect({ key }, { showHidden: true, depth: 5 })]) {
      expect(text).not.toContain(key.toBase64());
      expect(text).not.toContain(raw.toString('hex'));
      expect(text).not.toMatch(/<Buffer/);
    }
  });

  it('wraps a data key so only the same master key and case id unwrap it', () => {
    const master = MasterKey.generate();
    const dataKey = randomBytes(32);
    const wrapped = master.wrap(dataKey, caseId);
    expect(wrapped).not.toContain(dataKey.toString('base64url'));
    expect(master.unwrap(wrapped, caseId)).toEqual(dataKey);
    expect(MasterKey.fromBase64(master.toBase64()).unwrap(wrapped, caseId.toUpperCase())).toEqual(dataKey);
    expect(master.wrap(dataKey, caseId)).not.toBe(wrapped);
  });

  it('cannot unwrap with another master key', () => {
    const wrapped = MasterKey.generate().wrap(randomBytes(32), caseId);
    expect(() => MasterKey.generate().unwrap(wrapped, caseId)).toThrow(KeyUnwrapError);
  });

  it('cannot unwrap a key wrapped for another case', () => {
    const master = MasterKey.generate();
    const wrapped = master.wrap(randomBytes(32), caseId);
    expect(() => master.unwrap(wrapped, randomUUID())).toThrow(KeyUnwrapError);
  });

  it('cannot unwrap an altered or truncated key', () => {
    const master = MasterKey.generate();
    const wrapped = master.wrap(randomBytes(32), caseId);
    const parts = wrapped.split('.');
    const altered = [
      '',
      wrapped.slice(0, -1),
      parts.slice(0, -1).join('.'),
      [...parts.slice(0, -1), parts.at(-1)!.slice(0, 8)].join('.'),
      wrapped.replace('v1', 'v2'),
      `${wrapped}.`,
    ];
    for (const text of altered) expect(() => master.unwrap(text, caseId)).toThrow(KeyUnwrapError);
  });

  it('refuses to wrap something that is not a 256-bit key', () => {
    expect(() => MasterKey.generate().wrap(randomBytes(16), caseId)).toThrow(TypeError);
  });
});
