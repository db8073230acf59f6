/**
 * Small-cell suppression: a count from 1 to `min` - 1 is reported as null, so no small group of
 * people (one shelter's two referrals in an area, say) can be singled out in a report that may be
 * passed on. Zero is shown: it singles nobody out.
 */
export const isSmall = (count: number, min: number): boolean => count > 0 && count < min;

/** A sum a reader can check: the counts at `parts` add up to the count at `total` (indices into one list of counts). */
export interface Sum {
  readonly parts: readonly number[];
  readonly total: number;
}

/**
 * Complementary suppression. A hidden count that is the only hidden member of a sum (its total
 * counted as a member) is recovered by subtraction, so until no sum has exactly one hidden member:
 * a hidden zero is shown instead (zero singles nobody out, and hiding more would not hide it), and
 * otherwise the smallest shown non-zero part of that sum is hidden too, or its total if there is none.
 * Zeros are only ever shown and other counts only ever hidden, so this ends. `hidden` says what is
 * hidden to begin with; the answer says what to hide.
 */
export function complementaryHidden(counts: readonly number[], hidden: readonly boolean[], sums: readonly Sum[]): boolean[] {
  const hide = [...hidden];
  for (let changed = true; changed;) {
    changed = false;
    for (const { parts, total } of sums) {
      const hiddenHere = [...parts, total].filter((i) => hide[i]);
      if (hiddenHere.length !== 1) continue;
      if (counts[hiddenHere[0]!] === 0) {
        hide[hiddenHere[0]!] = false;
        changed = true;
        continue;
      }
      const shown = parts.filter((i) => !hide[i] && counts[i]! > 0);
      const partner =
        shown.length > 0
          ? shown.reduce((smallest, i) => (counts[i]! < counts[smallest]! ? i : smallest))
          : !hide[total] && counts[total]! > 0
            ? total
            : undefined;
      // Sums that do not add up (never in these reports) offer no partner; nothing can be recovered from them either.
      if (partner === undefined) continue;
      hide[partner] = true;
      changed = true;
    }
  }
  return hide;
}

/**
 * The sums of a table with its margins, by count index: each row adds up to its row total and each
 * column to its column total (where those are published), and the margins to the grand total.
 */
export function tableSums(
  cells: ReadonlyArray<readonly number[]>,
  margins: { readonly rows?: readonly number[]; readonly columns?: readonly number[]; readonly total?: number },
): Sum[] {
  const { rows, columns, total } = margins;
  return [
    ...(rows ? cells.map((row, r) => ({ parts: row, total: rows[r]! })) : []),
    ...(columns ? columns.map((columnTotal, c) => ({ parts: cells.map((row) => row[c]!), total: columnTotal })) : []),
    ...(total !== undefined ? [rows, columns].flatMap((margin) => (margin ? [{ parts: margin, total }] : [])) : []),
  ];
}

/** What every statistical report says about its nulls. */
export const suppressionNote = (min: number) => ({
  minimumCell: min,
  suppression:
    min > 1
      ? `Counts from 1 to ${min - 1} are shown as null (suppressed: true), and so are the response times computed from so few referrals; ` +
        'where a hidden count could be recovered by subtraction from a total (a row, a column, a margin, or the same numbers in the other report ' +
        'for the period), further counts are hidden until none can.'
      : 'No count is suppressed (REPORT_MIN_CELL is 1).',
});
