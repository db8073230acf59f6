/**
 * The one reader of dates and times the service accepts (issue 12, finding 1). A date-time is RFC 3339
 * `date-time` with its offset (Z or ±hh:mm) and nothing else: no ISO 8601 week or ordinal dates, no
 * comma fractions, no date without a time, no time without an offset. Validation and the domain
 * both read through here, so what validates is exactly what is interpreted.
 *
 * Refused as well: calendar dates that do not exist (2031-02-30), leap seconds (:60; instants here
 * are POSIX time, which has none, and no consent rests on one second), fractions finer than a
 * millisecond (an instant is kept to the millisecond; a finer one would be silently narrowed), and
 * instants whose UTC form falls outside the years 0001 to 9999 (PostgreSQL has no year 0000, and
 * the normal form of a later one could not be read back). Pure: no clock, no I/O.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAY_MS = 86_400_000;
const FIRST_INSTANT = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z: PostgreSQL has no year 0000
const LAST_INSTANT = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil): plain arithmetic, none of Date's two-digit-year quirks. */
function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function calendarDay(year: string, month: string, day: string): number | undefined {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return dayNumber(y, m, d);
}

/** Milliseconds since the epoch of an RFC 3339 date-time with offset, or undefined if `text` is not one. */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHour, offsetMinute] = match;
  const days = calendarDay(year!, month!, day!);
  if (days === undefined || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  let offset = 0;
  if (!zulu) {
    if (Number(offsetHour) > 23 || Number(offsetMinute) > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (Number(offsetHour) * 60 + Number(offsetMinute)) * 60_000;
  }
  const local =
    days * DAY_MS + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + Number((fraction ?? '').padEnd(3, '0'));
  const instant = local - offset;
  return instant < FIRST_INSTANT || instant > LAST_INSTANT ? undefined : instant;
}

export const isInstant = (text: unknown): text is string => parseInstant(text) !== undefined;

/** For comparing instants already validated: NaN (never before, never after anything) for what is not one. */
export const instantOrNaN = (text: string): number => parseInstant(text) ?? Number.NaN;

/** The instant's normal form (UTC, milliseconds: `2031-01-01T00:00:00.000Z`), or undefined if `text` is not an instant. */
export function normalInstant(text: unknown): string | undefined {
  const instant = parseInstant(text);
  return instant === undefined ? undefined : new Date(instant).toISOString();
}

/** Days since 1970-01-01 of an RFC 3339 `full-date` (YYYY-MM-DD, a day that exists), or undefined if `text` is not one. */
export function parseCalendarDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = FULL_DATE.exec(text);
  return match ? calendarDay(match[1]!, match[2]!, match[3]!) : undefined;
}

export const isCalendarDate = (text: unknown): text is string => parseCalendarDate(text) !== undefined;
