import { describe, expect, it } from 'vitest';
import { fewUsersNotes, MIN_RELIABLE_USERS } from '../../src/evaluate/few-users.js';

describe('fewUsersNotes', () => {
  it('stays silent from 100 users per window on', () => {
    expect(MIN_RELIABLE_USERS).toBe(100);
    expect(fewUsersNotes([{ split: 'standard', users: { validation: 100, test: 100 } }])).toEqual([]);
    expect(fewUsersNotes([])).toEqual([]);
  });

  it('names each split with a window below 100 users, and its counts', () => {
    const notes = fewUsersNotes([
      { split: 'standard', users: { validation: 99, test: 564 } },
      { split: 'shifted', users: { validation: 534, test: 100 } },
      { split: 'user halves', users: { validation: 120, test: 29 } },
    ]);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^the standard split has 99 validation and 564 test users; below 100 per window .* may miss their floor on test$/);
    expect(notes[1]).toMatch(/^the user halves split has 120 validation and 29 test users/);
  });
});
