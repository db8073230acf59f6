/**
 * Small-cell suppression: a count from 1 to `min` - 1 is reported as null, so no small group of
 * people (one shelter's two referrals in an area, say) can be singled out in a report that may be
 * passed on. Zero is shown: it singles nobody out.
 */
export const isSmall = (count: number, min: number): boolean => count > 0 && count < min;

export const suppressed = (count: number, min: number): number | null => (isSmall(count, min) ? null : count);

/**
 * Counts that add up to a total known elsewhere (the parts of a partition): when only one of them
 * is small, it could be recovered by subtraction, so the smallest other part is hidden with it.
 */
export function suppressParts(counts: readonly number[], min: number): Array<number | null> {
  const small = counts.flatMap((count, i) => (isSmall(count, min) ? [i] : []));
  if (small.length !== 1 || counts.length < 2) return counts.map((count) => suppressed(count, min));
  let second = -1;
  counts.forEach((count, i) => {
    if (i !== small[0] && (second < 0 || count < counts[second]!)) second = i;
  });
  return counts.map((count, i) => (i === small[0] || i === second ? null : count));
}

/** What every statistical report says about its nulls. */
export const suppressionNote = (min: number) => ({
  minimumCell: min,
  suppression: min > 1
    ? `Counts from 1 to ${min - 1} are shown as null (suppressed: true), and so are the response times computed from so few referrals; ` +
      'where one hidden count could be recovered by subtraction from the others, a second one is hidden too.'
    : 'No count is suppressed (REPORT_MIN_CELL is 1).',
});
