import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { complementaryHidden, isSmall, type Sum, tableSums } from './suppression.js';

/** A table of counts with its margins as one list, as a report publishes it: cells row by row, then row totals, column totals, grand total. */
function table(cells: number[][], withRowTotals: boolean) {
  const columns = cells[0]!.length;
  const counts = cells.flat();
  const ids = cells.map((row, r) => row.map((_, c) => r * columns + c));
  const push = (n: number) => counts.push(n) - 1;
  const rows = withRowTotals ? cells.map((row) => push(row.reduce((a, b) => a + b, 0))) : undefined;
  const columnTotals = cells[0]!.map((_, c) => push(cells.reduce((sum, row) => sum + row[c]!, 0)));
  const total = push(cells.flat().reduce((a, b) => a + b, 0));
  return { counts, ids, rows, columnTotals, total, sums: tableSums(ids, { rows, columns: columnTotals, total }) };
}
const protect = (counts: number[], sums: Sum[], min: number) =>
  complementaryHidden(
    counts,
    counts.map((n) => isSmall(n, min)),
    sums,
  );
const hiddenMembers = (sum: Sum, hidden: boolean[]) => [...sum.parts, sum.total].filter((i) => hidden[i]).length;

describe('small cells', () => {
  it('are counts from 1 to min - 1; zero and larger counts are not', () => {
    expect([0, 1, 4, 5, 12].map((n) => isSmall(n, 5))).toEqual([false, true, true, false, false]);
    expect([0, 1, 4].map((n) => isSmall(n, 1))).toEqual([false, false, false]);
  });
});

describe('tableSums', () => {
  it('lists rows and columns with their totals, and the margins with the grand total', () => {
    expect(
      tableSums(
        [
          [0, 1],
          [2, 3],
        ],
        { rows: [4, 5], columns: [6, 7], total: 8 },
      ),
    ).toEqual([
      { parts: [0, 1], total: 4 },
      { parts: [2, 3], total: 5 },
      { parts: [0, 2], total: 6 },
      { parts: [1, 3], total: 7 },
      { parts: [4, 5], total: 8 },
      { parts: [6, 7], total: 8 },
    ]);
    expect(
      tableSums(
        [
          [0, 1],
          [2, 3],
        ],
        { columns: [6, 7] },
      ),
    ).toEqual([
      { parts: [0, 2], total: 6 },
      { parts: [1, 3], total: 7 },
    ]);
  });
});

describe('complementary suppression', () => {
  it('hides enough that a hidden decline count cannot be recovered from the network-wide count by reason', () => {
    // Declines of shelter and medical by reason; safety_concern is the sixth. Without a complement,
    // shelter's 2 would be 8 (all safety_concern) - 6 (medical's).
    const { counts, sums } = table(
      [
        [10, 0, 0, 0, 0, 2, 0],
        [7, 0, 0, 0, 0, 6, 0],
      ],
      true,
    );
    const hidden = protect(counts, sums, 5);
    const shown = counts.map((n, i) => (hidden[i] ? null : n));
    expect(shown.slice(0, 14)).toEqual([null, 0, 0, 0, 0, null, 0, null, 0, 0, 0, 0, null, 0]);
    // Per service type 12 and 13, per reason 17 and 8, and 25 in all stay published.
    expect(shown.slice(14)).toEqual([12, 13, 17, 0, 0, 0, 0, 8, 0, 25]);
  });

  it('hides a total when no other count of its line could be hidden', () => {
    // 8 is hidden with the 3 of its row; its column has only a zero left, so the column total (8) goes; the
    // margins and the other row follow, and in this small table only the zero and the grand total stay.
    const { counts, sums } = table(
      [
        [3, 8],
        [9, 0],
      ],
      true,
    );
    const hidden = protect(counts, sums, 5);
    expect(counts.map((n, i) => (hidden[i] ? null : n))).toEqual([null, null, null, 0, null, null, null, null, 20]);
  });

  it('shows a zero hidden with its small cell when a sum gives it away, and keeps it hidden otherwise', () => {
    // Counts 0..2: a, b, a + b; 3..5: c, d, c + d. The zeros were hidden with a small cell.
    const counts = [0, 7, 7, 0, 3, 3];
    const sums = [
      { parts: [0, 1], total: 2 },
      { parts: [3, 4], total: 5 },
    ];
    expect(complementaryHidden(counts, [true, false, false, true, true, false], sums)).toEqual([false, false, false, true, true, false]);
  });

  it('changes nothing when no line has exactly one hidden count', () => {
    const { counts, sums } = table(
      [
        [3, 2, 9],
        [4, 4, 7],
      ],
      false,
    );
    expect(protect(counts, sums, 5)).toEqual(counts.map((n) => isSmall(n, 5)));
  });

  const tableArb = fc.record({
    cells: fc.integer({ min: 1, max: 5 }).chain((columns) =>
      fc.array(
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 })), {
          minLength: columns,
          maxLength: columns,
        }),
        { minLength: 1, maxLength: 5 },
      ),
    ),
    withRowTotals: fc.boolean(),
    min: fc.integer({ min: 1, max: 8 }),
  });

  it('leaves no published line with exactly one hidden count, hides every small one, and shows every other count unchanged', () => {
    fc.assert(
      fc.property(tableArb, ({ cells, withRowTotals, min }) => {
        const { counts, sums } = table(cells, withRowTotals);
        const hidden = protect(counts, sums, min);
        for (const sum of sums) expect(hiddenMembers(sum, hidden)).not.toBe(1);
        counts.forEach((n, i) => {
          if (isSmall(n, min)) expect(hidden[i]).toBe(true);
          if (n === 0) expect(hidden[i]).toBe(false);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("leaves no hidden count that one line's published numbers determine", () => {
    fc.assert(
      fc.property(tableArb, ({ cells, withRowTotals, min }) => {
        const { counts, sums } = table(cells, withRowTotals);
        const hidden = protect(counts, sums, min);
        // What a reader can solve from one line at a time, until nothing more comes out.
        const known = hidden.map((h) => !h);
        for (let learned = true; learned;) {
          learned = false;
          for (const { parts, total } of sums) {
            const unknown = [...parts, total].filter((i) => !known[i]);
            if (unknown.length === 1) [known[unknown[0]!], learned] = [true, true];
          }
        }
        expect(counts.filter((_, i) => hidden[i] && known[i])).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
