import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DECLINE_REASONS } from '../../libs/domain/index.js';
import { type PeriodCell, protectPeriod } from './report-tables.js';

const reasons = (counts: Partial<Record<(typeof DECLINE_REASONS)[number], number>>) => DECLINE_REASONS.map((reason) => counts[reason] ?? 0);
const cell = (
  serviceType: string | null,
  area: string | null,
  c: Omit<PeriodCell, 'serviceType' | 'area' | 'declined' | 'requested'>,
): PeriodCell => {
  const declined = c.declinedByReason.reduce((a, b) => a + b, 0);
  return { serviceType, area, ...c, declined, requested: c.open + declined + c.completed + c.withdrawn };
};
const byReasonRow = (rows: Array<{ serviceType: string | null; reason: string; count: number | null }>, serviceType: string) =>
  rows.filter((r) => r.serviceType === serviceType).map((r) => r.count);

describe('protectPeriod', () => {
  it('keeps a hidden decline count from being recovered through the network-wide count by reason', () => {
    const { declines } = protectPeriod(
      [
        cell('shelter', 'Jere', {
          accepted: 20,
          completed: 8,
          withdrawn: 5,
          open: 15,
          overdue: 0,
          declinedByReason: reasons({ no_capacity: 10, safety_concern: 2 }),
        }),
        cell('medical', 'Bama', {
          accepted: 20,
          completed: 11,
          withdrawn: 0,
          open: 9,
          overdue: 0,
          declinedByReason: reasons({ no_capacity: 7, safety_concern: 6 }),
        }),
      ],
      5,
    );
    expect(byReasonRow(declines.byServiceTypeAndReason, 'shelter')).toEqual([null, 0, 0, 0, 0, null, 0]);
    expect(byReasonRow(declines.byServiceTypeAndReason, 'medical')).toEqual([null, 0, 0, 0, 0, null, 0]);
    expect(declines.byReason.map((r) => r.count)).toEqual([17, 0, 0, 0, 0, 8, 0]);
    expect(declines.byServiceType).toEqual([
      { serviceType: 'shelter', count: 12, suppressed: false },
      { serviceType: 'medical', count: 13, suppressed: false },
    ]);
    expect(declines.total).toEqual({ count: 25, suppressed: false });
  });

  it("keeps a hidden count of declines in an area from being recovered through its service type's declines in the other report", () => {
    const { referrals, declines } = protectPeriod(
      [
        cell('shelter', 'Jere', {
          accepted: 9,
          completed: 6,
          withdrawn: 0,
          open: 9,
          overdue: 0,
          declinedByReason: reasons({ no_capacity: 3 }),
        }),
        cell('shelter', 'Bama', {
          accepted: 9,
          completed: 7,
          withdrawn: 5,
          open: 8,
          overdue: 0,
          declinedByReason: reasons({ no_capacity: 9 }),
        }),
      ],
      5,
    );
    expect(declines.byServiceType).toEqual([{ serviceType: 'shelter', count: 12, suppressed: false }]);
    // Jere's 3 goes with the smallest other outcome there (completed, 6). Jere's and Bama's declines make the 12 of
    // the declines report: Bama's 9 is hidden too, and with it the smallest other outcome there (withdrawn, 5).
    expect(referrals.map((r) => r.counts)).toEqual([
      { requested: 18, accepted: 9, declined: null, completed: null, withdrawn: 0, open: 9, overdue: 0 },
      { requested: 29, accepted: 9, declined: null, completed: 7, withdrawn: null, open: 8, overdue: 0 },
    ]);
  });

  it('hides a small cell whole, and shows the zeros of it the published numbers give away anyway', () => {
    const { referrals, declines } = protectPeriod(
      [
        cell('medical', 'Bama', { accepted: 2, completed: 1, withdrawn: 0, open: 1, overdue: 1, declinedByReason: reasons({}) }),
        cell('medical', 'Jere', { accepted: 20, completed: 11, withdrawn: 0, open: 9, overdue: 0, declinedByReason: reasons({}) }),
      ],
      5,
    );
    expect(referrals[0]).toEqual({
      serviceType: 'medical',
      area: 'Bama',
      small: true,
      // No medical referral was declined (the declines report leaves medical out): Bama's declines are no secret.
      counts: { requested: null, accepted: null, declined: 0, completed: null, withdrawn: null, open: null, overdue: null },
    });
    expect(declines).toMatchObject({ total: { count: 0, suppressed: false }, byServiceType: [], byServiceTypeAndReason: [] });
  });

  const cellArb = fc
    .record({
      serviceType: fc.constantFrom('shelter', 'medical', null),
      area: fc.constantFrom('Jere', 'Bama', null),
      accepted: fc.nat(30),
      completed: fc.oneof(fc.nat(4), fc.nat(30)),
      withdrawn: fc.oneof(fc.nat(4), fc.nat(30)),
      open: fc.oneof(fc.nat(4), fc.nat(30)),
      overdue: fc.nat(6),
      declinedByReason: fc.array(fc.oneof(fc.constant(0), fc.nat(4), fc.nat(20)), {
        minLength: DECLINE_REASONS.length,
        maxLength: DECLINE_REASONS.length,
      }),
    })
    .map(({ serviceType, area, ...counts }) => cell(serviceType, area, counts));
  const periodArb = fc.record({
    cells: fc.uniqueArray(cellArb, { maxLength: 9, selector: (c) => JSON.stringify([c.serviceType, c.area]) }),
    min: fc.integer({ min: 1, max: 6 }),
  });

  it('publishes nothing from which one sum at a time recovers a hidden count, across both reports', () => {
    fc.assert(
      fc.property(periodArb, ({ cells, min }) => {
        const { referrals, declines } = protectPeriod(cells, min);
        // The sums a reader can check, over the published values (null: unknown), each as [parts, total].
        const rows = referrals.map((r) => ({ ...r.counts }));
        const types = [...new Set(cells.map((c) => c.serviceType))];
        const typeTotal = (type: string | null) => declines.byServiceType.find((r) => r.serviceType === type) ?? { count: 0 };
        const tableCell = (type: string | null, reason: string) =>
          declines.byServiceTypeAndReason.find((r) => r.serviceType === type && r.reason === reason) ?? { count: 0 };
        const sums: Array<[Array<{ count: number | null }>, { count: number | null }]> = [
          ...rows.map((r): [Array<{ count: number | null }>, { count: number | null }] => [
            [{ count: r.open }, { count: r.declined }, { count: r.completed }, { count: r.withdrawn }],
            { count: r.requested },
          ]),
          ...types.map((type): [Array<{ count: number | null }>, { count: number | null }] => [
            rows.filter((_, i) => cells[i]!.serviceType === type).map((r) => ({ count: r.declined })),
            typeTotal(type),
          ]),
          ...types.map((type): [Array<{ count: number | null }>, { count: number | null }] => [
            DECLINE_REASONS.map((reason) => tableCell(type, reason)),
            typeTotal(type),
          ]),
          ...declines.byReason.map((r): [Array<{ count: number | null }>, { count: number | null }] => [
            types.map((type) => tableCell(type, r.reason)),
            r,
          ]),
          [declines.byReason, declines.total],
          [types.map(typeTotal), declines.total],
        ];
        for (const [parts, total] of sums) expect([...parts, total].filter((member) => member.count === null)).not.toHaveLength(1);
        // Every small count is hidden; every shown one is the true count.
        referrals.forEach((r, i) => {
          for (const [name, count] of Object.entries(r.counts)) {
            const truth = cells[i]![name as keyof typeof r.counts];
            if (count !== null) expect(count).toBe(truth);
            if (truth > 0 && truth < min) expect(count).toBeNull();
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
