import { describe, expect, it } from 'vitest';
import { sortPending } from './sort';

describe('sortPending', () => {
  it('puts overdue arrivals first, then the earliest deadline', () => {
    const items = [
      { id: 'a', overdue: false, notify_deadline: '2025-07-05', on: '2025-06-28' },
      { id: 'b', overdue: true, notify_deadline: '2025-07-01', on: '2025-06-24' },
      { id: 'c', overdue: false, notify_deadline: '2025-07-03', on: '2025-06-26' },
      { id: 'd', overdue: false, notify_deadline: null, on: '2025-06-20' },
    ];
    expect(sortPending(items).map((m) => m.id)).toEqual(['b', 'c', 'a', 'd']);
  });
});
