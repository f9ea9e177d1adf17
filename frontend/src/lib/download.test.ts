import { describe, expect, it } from 'vitest';
import { filenameFromDisposition } from './download';

describe('filenameFromDisposition', () => {
  it('reads RFC 5987 and plain file names', () => {
    expect(filenameFromDisposition("attachment; filename*=UTF-8''h%E1%BB%93-s%C6%A1.xlsx")).toBe('hồ-sơ.xlsx');
    expect(filenameFromDisposition('attachment; filename="ho-so.csv"')).toBe('ho-so.csv');
    expect(filenameFromDisposition('attachment; filename=ho-so.csv; size=3')).toBe('ho-so.csv');
    expect(filenameFromDisposition('attachment; filename="a.csv"; filename*=UTF-8\'\'b.csv')).toBe('b.csv');
  });
  it('is null without a name', () => {
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
