import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, instantPart, positionPart, revisionPart, uuidPart } from './keyset-cursor.js';

const instant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const position = fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map(String);
const revision = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('the keyset cursor', () => {
  it('gives back exactly the key it encoded', () => {
    fc.assert(
      fc.property(instant, fc.uuid(), revision, (at, id, rev) => {
        expect(decodeCursor(encodeCursor([at, id, rev]), [instantPart, uuidPart, revisionPart])).toEqual([at, id, rev]);
      }),
    );
    fc.assert(fc.property(position, (p) => expect(decodeCursor(encodeCursor([p]), [positionPart])).toEqual([p])));
  });

  it('accepts no string but one it could have given out itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (cursor) => {
          let key: readonly unknown[] | undefined;
          try {
            key = decodeCursor(cursor, [positionPart]);
          } catch (error) {
            expect(error).toBeInstanceOf(BadRequestException);
            return;
          }
          expect(encodeCursor(key as string[])).toBe(cursor);
        },
      ),
    );
  });

  it('refuses a well-formed cursor of another shape', () => {
    const at = new Date('2026-01-01T00:00:00Z').toISOString();
    const id = 'aaaaaaaa-0000-4000-8000-00000000000b';
    for (const key of [
      [at],
      [at, id, 1],
      [id, at],
      [at.replace('.000Z', 'Z'), id],
      ['2026-02-31T00:00:00.000Z', id],
      [at, id.toUpperCase()],
    ]) {
      expect(() => decodeCursor(encodeCursor(key), [instantPart, uuidPart])).toThrow(BadRequestException);
    }
    for (const key of [[1], ['0'], ['01'], ['1000000000000000000'], ['-1']])
      expect(() => decodeCursor(encodeCursor(key), [positionPart])).toThrow(BadRequestException);
  });
});
