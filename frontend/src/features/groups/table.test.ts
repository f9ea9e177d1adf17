import { describe, expect, it } from 'vitest';
import { groupRows } from './table';

describe('groupRows', () => {
  it('gives one row per child and the total last, with zeros for missing groups', () => {
    const rows = groupRows(
      [
        { unit_code: '11953', unit_name: 'Phường Phố Hiến', groups: { home_community: 2, aftercare: 1 }, statuses: {}, total: 7 },
        { unit_code: '11980', unit_name: null, groups: {}, statuses: {}, total: 0 },
      ],
      { unit_code: '33', unit_name: 'Hưng Yên', groups: { home_community: 2, substitution: 0, aftercare: 1, absent: 3 }, statuses: {}, total: 10 },
    );
    expect(rows.map((r) => [r.key, r.unit_name, r.in_groups, r.total, r.isTotal])).toEqual([
      ['11953', 'Phường Phố Hiến', 3, 7, false],
      ['11980', '11980', 0, 0, false],
      ['total:33', 'Hưng Yên', 6, 10, true],
    ]);
    expect(rows[0]?.groups).toEqual({ home_community: 2, substitution: 0, aftercare: 1, absent: 0 });
  });
});
