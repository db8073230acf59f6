import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normalInstant, parseCalendarDate, parseInstant } from './rfc3339.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysIn = (year: number, month: number) => [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/** The parts of an RFC 3339 date-time that exists, written out with an offset. */
const dateTime = fc
  .record({
    year: fc.integer({ min: 2, max: 9998 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(
      fc.integer({ min: 0, max: 999 }).chain((ms) => fc.integer({ min: 1, max: 3 }).map((digits) => pad(ms, 3).slice(0, digits))),
    ),
    offset: fc.option(
      fc.record({ sign: fc.constantFrom('+', '-'), hours: fc.integer({ min: 0, max: 23 }), minutes: fc.integer({ min: 0, max: 59 }) }),
    ),
  })
  .map((p) => ({ ...p, day: Math.min(p.day, daysIn(p.year, p.month)) }))
  .map((p) => ({
    parts: p,
    text:
      `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
      `${p.fraction === null ? '' : `.${p.fraction}`}${p.offset === null ? 'Z' : `${p.offset.sign}${pad(p.offset.hours)}:${pad(p.offset.minutes)}`}`,
  }));

/** What the wall-clock parts and offset mean, computed independently of the parser (Date's own arithmetic, with setUTCFullYear for years below 100). */
function expectedInstant({
  parts: p,
}: {
  parts: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    fraction: string | null;
    offset: { sign: string; hours: number; minutes: number } | null;
  };
}) {
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute, p.second, Number((p.fraction ?? '').padEnd(3, '0')));
  const offset = p.offset === null ? 0 : (p.offset.sign === '-' ? -1 : 1) * (p.offset.hours * 60 + p.offset.minutes) * 60_000;
  return date.getTime() - offset;
}

describe('the strict RFC 3339 reader', () => {
  it('reads every RFC 3339 date-time with an offset as the instant its parts and offset name', () => {
    fc.assert(
      fc.property(dateTime, (d) => {
        expect(parseInstant(d.text)).toBe(expectedInstant(d));
      }),
    );
  });

  it('round-trips any accepted date-time: its normal form is accepted and names the same instant', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          dateTime.map((d) => d.text),
          fc.string(),
        ),
        (text) => {
          const instant = parseInstant(text);
          if (instant === undefined) return;
          const normal = normalInstant(text)!;
          expect(normal).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          expect(parseInstant(normal)).toBe(instant);
          // The platform's reader agrees on every string accepted here (the reverse is what finding 1 was about).
          expect(Date.parse(text.toUpperCase())).toBe(instant);
        },
      ),
    );
  });

  it('refuses a day the calendar does not have', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const day = daysIn(year, month) + 1;
        expect(parseInstant(`${pad(year, 4)}-${pad(month)}-${pad(day)}T00:00:00Z`)).toBeUndefined();
        expect(parseCalendarDate(`${pad(year, 4)}-${pad(month)}-${pad(day)}`)).toBeUndefined();
      }),
    );
    expect(parseInstant('2031-02-30T00:00:00Z')).toBeUndefined();
    expect(parseInstant('2100-02-29T00:00:00Z')).toBeUndefined();
    expect(parseInstant('2000-02-29T00:00:00Z')).toBe(Date.parse('2000-02-29T00:00:00Z'));
  });

  it.each([
    ['an ISO week date', '2031-W01'],
    ['an ISO week date with a day', '2031-W01-1'],
    ['an ordinal date', '2031-200'],
    ['a comma fraction', '2031-01-01T00:00:00,5Z'],
    ['a date only', '2031-01-01'],
    ['no offset', '2031-01-01T00:00:00'],
    ['no seconds', '2031-01-01T00:00Z'],
    ['a basic-format date-time', '20310101T000000Z'],
    ['an offset without a colon', '2031-01-01T00:00:00+0100'],
    ['an hour-only offset', '2031-01-01T00:00:00+01'],
    ['a space for the T', '2031-01-01 00:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['hour 24', '2031-01-01T24:00:00Z'],
    ['an offset past 23:59', '2031-01-01T00:00:00+24:00'],
    ['a microsecond fraction', '2031-01-01T00:00:00.000001Z'],
    ['an expanded year', '+002031-01-01T00:00:00Z'],
    ['a year whose UTC form is before 0000', '0000-01-01T00:00:00+01:00'],
    ['year 0000, which PostgreSQL cannot store', '0000-06-01T00:00:00Z'],
    ['a year whose UTC form is after 9999', '9999-12-31T23:00:00-01:00'],
    ['surrounding white space', ' 2031-01-01T00:00:00Z'],
    ['a trailing newline', '2031-01-01T00:00:00Z\n'],
    ['non-ASCII digits', '٢٠٣١-01-01T00:00:00Z'],
  ])('refuses %s (%j)', (_what, text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('takes lower-case t and z, as RFC 3339 allows, and -00:00 as UTC', () => {
    expect(parseInstant('2031-01-01t00:00:00z')).toBe(Date.parse('2031-01-01T00:00:00Z'));
    expect(parseInstant('2031-01-01T00:00:00-00:00')).toBe(Date.parse('2031-01-01T00:00:00Z'));
    expect(normalInstant('2031-01-01T01:30:00.5+01:30')).toBe('2031-01-01T00:00:00.500Z');
  });

  it('reads a full-date as its day number, and nothing else as one', () => {
    expect(parseCalendarDate('1970-01-02')).toBe(1);
    expect(parseCalendarDate('2031-W01-1')).toBeUndefined();
    expect(parseCalendarDate('2031-01-01T00:00:00Z')).toBeUndefined();
    expect(parseCalendarDate('2031-1-1')).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_932_896 - 719_528 }), (days) => {
        expect(parseCalendarDate(new Date(days * 86_400_000).toISOString().slice(0, 10))).toBe(days);
      }),
    );
  });
});
