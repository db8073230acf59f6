import { describe, expect, it } from '@jest/globals';
import { PROBLEM_KINDS, PROBLEM_TYPES, type ProblemType, kindOfStatus } from './problem-catalogue.js';

describe('the problem catalogue', () => {
  it('has one kind for each status that is not narrower, so a bare status always stands for the same kind', () => {
    const broad = PROBLEM_KINDS.filter((kind) => !(PROBLEM_TYPES[kind] as ProblemType).narrower);
    const statuses = broad.map((kind) => PROBLEM_TYPES[kind].status);
    expect(new Set(statuses).size).toBe(statuses.length);
    for (const kind of broad) expect(kindOfStatus(PROBLEM_TYPES[kind].status)).toBe(kind);
  });

  it('gives every narrower kind a broad kind of the same status to fall back on', () => {
    for (const kind of PROBLEM_KINDS.filter((k) => (PROBLEM_TYPES[k] as ProblemType).narrower)) {
      const broad = kindOfStatus(PROBLEM_TYPES[kind].status);
      expect(broad).toBeDefined();
      expect(broad).not.toBe(kind);
    }
  });
});
