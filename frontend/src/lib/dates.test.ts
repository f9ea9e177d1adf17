import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, parseDateInput, todayIso } from './dates';

describe('parseDateInput', () => {
  it('accepts dd/mm/yyyy and yyyy-mm-dd', () => {
    expect(parseDateInput('05/09/1990')).toBe('1990-09-05');
    expect(parseDateInput('5/9/1990')).toBe('1990-09-05');
    expect(parseDateInput('05-09-1990')).toBe('1990-09-05');
    expect(parseDateInput('1990-09-05')).toBe('1990-09-05');
    expect(parseDateInput(' 29/02/2000 ')).toBe('2000-02-29');
  });
  it('rejects impossible or malformed dates', () => {
    expect(parseDateInput('31/02/1990')).toBeNull();
    expect(parseDateInput('29/02/2001')).toBeNull();
    expect(parseDateInput('1990/09/05')).toBeNull();
    expect(parseDateInput('13/13/1990')).toBeNull();
    expect(parseDateInput('')).toBeNull();
    expect(parseDateInput(undefined)).toBeNull();
  });
});

describe('formatting', () => {
  it('shows calendar dates as dd/MM/yyyy without shifting the day', () => {
    expect(formatDate('1990-09-05')).toBe('05/09/1990');
    expect(formatDate(null)).toBe('');
  });
  it('shows timestamps in Asia/Ho_Chi_Minh', () => {
    expect(formatDateTime('2024-12-31T18:30:00Z')).toBe('01/01/2025 01:30');
    expect(formatDate('2024-12-31T18:30:00Z')).toBe('01/01/2025');
    expect(todayIso(new Date('2024-12-31T18:30:00Z'))).toBe('2025-01-01');
  });
});
