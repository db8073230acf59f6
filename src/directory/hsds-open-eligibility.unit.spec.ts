import { describe, expect, it } from '@jest/globals';
import { readOpenEligibility } from './hsds-open-eligibility.js';

/** Terms as another publisher writes them, in the Open Eligibility taxonomy. */
const terms = (...names: string[]) => names.map((name) => ({ name, taxonomyName: 'Open Eligibility' }));

describe('Open Eligibility terms read as this network’s eligibility', () => {
  it('keeps a shelter for women and their sons female-only, never open to men, and says what it could not hold', () => {
    const read = readOpenEligibility(terms('Women', 'Boys'));
    expect(read).toMatchObject({ sexes: ['female'], minimumAge: 0, childrenAccepted: true });
    expect(read.caveats).toEqual([expect.stringMatching(/taken as female only/)]);
  });

  it('keeps adult women eligible for a service for women and girls (no upper age)', () => {
    const read = readOpenEligibility(terms('Women', 'Girls'));
    expect(read).toMatchObject({ sexes: ['female'], minimumAge: 0, childrenAccepted: true, caveats: [] });
    expect(read).not.toHaveProperty('maximumAge');
  });

  it('reads women alone as adult women', () => {
    expect(readOpenEligibility(terms('Women'))).toMatchObject({ sexes: ['female'], minimumAge: 18, childrenAccepted: false });
  });

  it('reads girls and boys together as children of any sex', () => {
    expect(readOpenEligibility(terms('Girls', 'Boys'))).toMatchObject({ sexes: [], minimumAge: 0, maximumAge: 17, caveats: [] });
  });

  it('reads women and men together as no restriction of sex', () => {
    expect(readOpenEligibility(terms('Women', 'Men'))).toMatchObject({ sexes: [], minimumAge: 18, caveats: [] });
  });
});
