import { describe, expect, it } from 'vitest';
import { RowMarks } from '../../src/pack/row-marks.js';

describe('RowMarks', () => {
  it('forgets a request’s marks when the next request borrows them', () => {
    const marks = new RowMarks(3);
    expect(marks.borrow()).toBe(true);
    expect([marks.mark(2), marks.mark(0), marks.mark(2)]).toEqual([true, true, false]);
    marks.release();
    expect(marks.borrow()).toBe(true);
    expect([marks.mark(0), marks.mark(2), marks.mark(0)]).toEqual([true, true, false]);
    marks.release();
  });

  it('refuses a second borrower until released', () => {
    const marks = new RowMarks(1);
    expect(marks.borrow()).toBe(true);
    expect(marks.borrow()).toBe(false);
    marks.release();
    expect(marks.borrow()).toBe(true);
  });

  it('clears the marks when the generation counter wraps', () => {
    const marks = new RowMarks(2);
    marks.borrow();
    marks.mark(1);
    Object.assign(marks, { generation: 0xffff_fffe });
    marks.release();
    marks.borrow();
    expect(marks.mark(0)).toBe(true);
    marks.release();
    marks.borrow();
    expect([marks.mark(1), marks.mark(0), marks.mark(0)]).toEqual([true, true, false]);
    marks.release();
  });
});
