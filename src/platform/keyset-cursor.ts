import { BadRequestException, applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { normalInstant } from '../../libs/time/index.js';

/**
 * The one cursor of every paged list and export: the sort key of the last row of a page, as
 * base64url JSON. Paging by key, not offset, so a page costs the same deep in a large table and a
 * row written meanwhile neither repeats nor shifts the rest. A cursor is accepted only in exactly
 * the form this service gives out, so a forged or edited one is a 400, never a query error.
 */
export type CursorPart<T extends string | number> = (value: unknown) => value is T;

/** A timestamp as the service writes it (toISOString: milliseconds, UTC). */
export const instantPart: CursorPart<string> = (value): value is string => normalInstant(value) === value;

export const uuidPart: CursorPart<string> = (value): value is string =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);

/** A bigint position (identity column) as text: JSON numbers lose precision past 2^53. */
export const positionPart: CursorPart<string> = (value): value is string => typeof value === 'string' && /^[1-9]\d{0,17}$/.test(value);

/** A PostgreSQL int (a stream revision). */
export const revisionPart: CursorPart<number> = (value): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 2 ** 31 - 1;

export type CursorKey<P extends ReadonlyArray<CursorPart<string | number>>> = {
  [K in keyof P]: P[K] extends CursorPart<infer T> ? T : never;
};

export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<const P extends ReadonlyArray<CursorPart<string | number>>>(cursor: string, parts: P): CursorKey<P> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === parts.length && parts.every((part, i) => part(key[i])) && encodeCursor(key) === cursor) {
      return key as CursorKey<P>;
    }
  } catch {
    // fall through: any malformed cursor gets the same answer
  }
  throw new BadRequestException('cursor is not one this service gave out');
}

/** A page size between 1 and `max`. */
export const PageLimit = (max: number, fallback: number) =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: max, default: fallback }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );

export const PageCursor = () =>
  applyDecorators(ApiPropertyOptional({ description: 'nextCursor of the previous page' }), IsOptional(), IsString(), MaxLength(200));

/** `limit` and `cursor` of a paged list; the answer is `{ items, nextCursor? }`. */
export class PageQueryDto {
  @PageLimit(100, 50) limit?: number;
  @PageCursor() cursor?: string;
}

/** Splits the `limit + 1` rows a page query read into the page and the cursor after it, if more follow. */
export function pageOf<Row>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => ReadonlyArray<string | number>,
): { rows: Row[]; nextCursor?: string } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, ...(rows.length > limit && last ? { nextCursor: encodeCursor(keyOf(last)) } : {}) };
}
