import { describe, expect, it } from '@jest/globals';
import { suppressed, suppressParts } from './suppression.js';

describe('small-cell suppression', () => {
  it('hides counts from 1 to min - 1 and shows zero and larger counts', () => {
    expect([0, 1, 4, 5, 12].map((n) => suppressed(n, 5))).toEqual([0, null, null, 5, 12]);
    expect([0, 1, 4].map((n) => suppressed(n, 1))).toEqual([0, 1, 4]);
  });

  it('hides a second part when one hidden part of a known total could be recovered by subtraction', () => {
    expect(suppressParts([20, 3, 7, 9], 5)).toEqual([20, null, null, 9]);
    // The smallest other part may be zero: the two hidden ones still cannot be told apart.
    expect(suppressParts([20, 3, 0, 9], 5)).toEqual([20, null, null, 9]);
  });

  it('needs no second part when two or none are hidden', () => {
    expect(suppressParts([20, 3, 2, 9], 5)).toEqual([20, null, null, 9]);
    expect(suppressParts([20, 0, 6, 9], 5)).toEqual([20, 0, 6, 9]);
  });
});
