import { describe, expect, it } from 'vitest';
import { countNarrowing, daysUntilEnd, exportFilename, filtersFromParams, filtersToParams, filtersToQuery, hasFilters } from './filters';

describe('person list filters', () => {
  it('round-trip through the URL, dropping unknown values', () => {
    const f = { q: 'nguyen van', unit: '11953', status: 'relapsed', sex: 'female', age_band: '18_30', ending_within: 30, include_closed: true } as const;
    expect(filtersFromParams(filtersToParams(f))).toEqual(f);
    expect(filtersFromParams(new URLSearchParams('status=bogus&sex=x&age_band=99&ending_within=-1&include_closed=yes'))).toEqual({});
  });
  it('become the list query, hiding closed files unless asked', () => {
    expect(filtersToQuery({})).toEqual({ include_closed: false });
    expect(filtersToQuery({ q: ' thu ', ending_within: 0, age_band: 'under_14' })).toEqual({
      q: 'thu',
      management_ending_within_days: 0,
      age_band: 'under_14',
      include_closed: false,
    });
    expect(filtersToQuery({ include_closed: true }).include_closed).toBe(true);
    expect(filtersToQuery({ status: 'closed' }).include_closed).toBe(true);
  });
  it('knows when any filter is set', () => {
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ ending_within: 0 })).toBe(true);
  });
});

describe('daysUntilEnd', () => {
  it('counts whole days to an end within the window', () => {
    expect(daysUntilEnd('2025-07-31', '2025-07-01')).toBe(30);
    expect(daysUntilEnd('2025-07-01', '2025-07-01')).toBe(0);
    expect(daysUntilEnd('2025-03-01', '2025-02-27')).toBe(2);
  });
  it('is null for no end, a past end or an end beyond the window', () => {
    expect(daysUntilEnd(null, '2025-07-01')).toBeNull();
    expect(daysUntilEnd('2025-06-30', '2025-07-01')).toBeNull();
    expect(daysUntilEnd('2025-08-01', '2025-07-01')).toBeNull();
    expect(daysUntilEnd('2025-08-01', '2025-07-01', 60)).toBe(31);
  });
  it('names exports by date', () => {
    expect(exportFilename('xlsx', '2025-07-01')).toBe('ho-so-doi-tuong-2025-07-01.xlsx');
  });

  it('counts the narrowing filters, not the search text', () => {
    expect(countNarrowing({ q: 'an' })).toBe(0);
    expect(countNarrowing({ q: 'an', unit: '11953', sex: 'male', include_closed: true })).toBe(3);
    expect(countNarrowing({ include_closed: false })).toBe(0);
  });
});
