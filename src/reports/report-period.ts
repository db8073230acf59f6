import { isCalendarDate, parseCalendarDate } from '../../libs/time/index.js';

/** Whole days, `to` included; both optional. */
export interface PeriodQuery {
  readonly from?: string;
  readonly to?: string;
}

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  /** The first instant of `from` and the first after `to`, for `requested_at >= start AND < end`. */
  readonly start: string;
  readonly end: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 90;
/** Shorter periods would let a reader difference reports day by day down to single referrals. */
export const MIN_PERIOD_DAYS = 7;
/** Ten years and leap days: longer asks the database for nothing a report needs. */
export const MAX_PERIOD_DAYS = 3660;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

const dayNumber = (date: string) => parseCalendarDate(date)!;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The period of a report in whole UTC days, `to` included; by default the 90 days up to `today`.
 * Its reason when refused (naming rules, never a submitted value): a date outside 2000..2100,
 * `from` after `to`, more than 3660 days, or fewer than 7.
 */
export function reportPeriod(query: PeriodQuery, today: string): ReportPeriod | { readonly refused: string } {
  const to = query.to ?? today;
  if (!isCalendarDate(to)) return { refused: 'to must be a date (YYYY-MM-DD)' };
  const from = query.from ?? dateOf(dayNumber(to) + 1 - DEFAULT_DAYS);
  if (!isCalendarDate(from)) return { refused: 'from must be a date (YYYY-MM-DD)' };
  for (const [name, date] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const year = Number(date.slice(0, 4));
    if (year < FIRST_YEAR || year > LAST_YEAR) return { refused: `${name} must be in the years ${FIRST_YEAR} to ${LAST_YEAR}` };
  }
  if (from > to) return { refused: 'from must not be after to' };
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > MAX_PERIOD_DAYS) return { refused: `a report period covers at most ${MAX_PERIOD_DAYS} days` };
  if (days < MIN_PERIOD_DAYS) {
    return {
      refused:
        `a report period covers at least ${MIN_PERIOD_DAYS} days (from to to, both included), ` +
        'so that reports of neighbouring days cannot be subtracted from each other to single out a few referrals',
    };
  }
  return { from, to, start: `${from}T00:00:00Z`, end: `${dateOf(dayNumber(to) + 1)}T00:00:00Z` };
}
