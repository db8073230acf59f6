import { describe, expect, it, jest } from '@jest/globals';
import type { Sealed } from '../../libs/domain/index.js';
import { inspect } from 'node:util';
import { sealLater, sealPending } from './case-sealing.js';

const fakeSeal = (field: string, value: unknown): Promise<Sealed> => Promise.resolve({ sealed: `${field}=${JSON.stringify(value)}` });

describe('personal data sealed only after the decider accepted the command', () => {
  it('replaces every placeholder, however deep, by its ciphertext and leaves the rest as it is', async () => {
    const events = [
      {
        type: 'CaseInterrupted',
        data: { reason: 'lost_contact', note: sealLater('case:interruption-note', 'a note'), list: [sealLater('x', { a: 1 })] },
      },
    ];
    expect(await sealPending(events, fakeSeal, new Map())).toEqual([
      {
        type: 'CaseInterrupted',
        data: { reason: 'lost_contact', note: { sealed: 'case:interruption-note="a note"' }, list: [{ sealed: 'x={"a":1}' }] },
      },
    ]);
  });

  it('seals a value once across attempts: a retry reuses what the first attempt sealed', async () => {
    const seal = jest.fn(fakeSeal);
    const sealed = new Map<string, Sealed>();
    const first = await sealPending({ note: sealLater('f', 'v') }, seal, sealed);
    const retry = await sealPending({ note: sealLater('f', 'v') }, seal, sealed);
    expect(seal).toHaveBeenCalledTimes(1);
    expect(retry).toEqual(first);
  });

  it('a placeholder logged or inspected shows no value', () => {
    const command = { note: sealLater('f', "the person's words") };
    expect(inspect(command, { showHidden: true, depth: 10 })).not.toContain("the person's words");
  });

  it('a placeholder written without sealing carries no value in JSON', () => {
    expect(JSON.stringify({ note: sealLater('f', "the person's words") })).toBe('{"note":{}}');
  });
});
