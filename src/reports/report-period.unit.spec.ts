import { describe, expect, it } from '@jest/globals';
import { reportPeriod } from './report-period.js';

const TODAY = '2026-03-31';

describe('reportPeriod', () => {
  it('takes whole UTC days, `to` included, and by default the 90 days up to today', () => {
    expect(reportPeriod({}, TODAY)).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      start: '2026-01-01T00:00:00Z',
      end: '2026-04-01T00:00:00Z',
    });
    expect(reportPeriod({ to: '2025-06-30' }, TODAY)).toMatchObject({ from: '2025-04-02', to: '2025-06-30' });
    expect(reportPeriod({ from: '2026-03-25' }, TODAY)).toMatchObject({
      from: '2026-03-25',
      to: '2026-03-31',
      end: '2026-04-01T00:00:00Z',
    });
    expect(reportPeriod({ from: '2000-01-01', to: '2010-01-07' }, TODAY)).toMatchObject({ end: '2010-01-08T00:00:00Z' });
    expect(reportPeriod({ from: '2100-12-25', to: '2100-12-31' }, TODAY)).toMatchObject({ end: '2101-01-01T00:00:00Z' });
  });

  it.each([
    [{ to: '9999-12-31', from: '9999-12-01' }, 'from must be in the years 2000 to 2100'],
    [{ to: '9999-12-31' }, 'from must be in the years 2000 to 2100'],
    [{ from: '1999-12-31', to: '2000-01-31' }, 'from must be in the years 2000 to 2100'],
    [{ from: '2100-12-25', to: '2101-01-01' }, 'to must be in the years 2000 to 2100'],
    [{ from: '2025-06-30', to: '2025-06-01' }, 'from must not be after to'],
    [{ from: '2000-01-01', to: '2010-01-08' }, 'a report period covers at most 3660 days'],
    [{ from: '2025-06-01', to: '2025-06-06' }, 'a report period covers at least 7 days'],
    [{ from: TODAY }, 'a report period covers at least 7 days'],
    [{ from: '2025-02-29', to: '2025-03-31' }, 'from must be a date (YYYY-MM-DD)'],
  ])('refuses %j', (query, reason) => {
    expect(reportPeriod(query, TODAY)).toEqual({ refused: expect.stringContaining(reason) });
  });
});
