import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../api/types';
import { importOutcome, invalidRows, isAcceptedFile, isCapped, issueColumn, issueRows, progressPercent, TEMPLATE_HEADERS, templateCsv } from './report';

const report = (over: Partial<ImportReport>): ImportReport => ({
  job_id: 'j-1',
  status: 'succeeded',
  dry_run: false,
  mode: 'all_or_nothing',
  file_name: 'ds.csv',
  total_rows: 2,
  processed_rows: 2,
  valid_rows: 2,
  created: 0,
  error_count: 0,
  warning_count: 0,
  errors: [],
  warnings: [],
  created_at: '2025-07-01T00:00:00Z',
  finished_at: '2025-07-01T00:00:01Z',
  ...over,
});

describe('import template', () => {
  it('is a UTF-8 CSV with a BOM and the Vietnamese headers', () => {
    const csv = templateCsv();
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).trimEnd().split(',')).toEqual([...TEMPLATE_HEADERS]);
    expect(TEMPLATE_HEADERS[0]).toBe('Họ và tên');
    expect(TEMPLATE_HEADERS).toContain('Mã xã nơi thường trú');
  });
  it('accepts csv and xlsx only', () => {
    expect(isAcceptedFile('ds.CSV')).toBe(true);
    expect(isAcceptedFile('ds.xlsx')).toBe(true);
    expect(isAcceptedFile('ds.xls')).toBe(false);
  });
});

describe('import progress and outcome', () => {
  it('computes the progress of a running job', () => {
    expect(progressPercent(report({ status: 'running', total_rows: 200, processed_rows: 50 }))).toBe(25);
    expect(progressPercent(report({ status: 'running', total_rows: 10, processed_rows: 10 }))).toBe(99);
    expect(progressPercent(report({ status: 'queued', total_rows: null, processed_rows: 0 }))).toBe(0);
    expect(progressPercent(report({ status: 'succeeded' }))).toBe(100);
    expect(progressPercent(null)).toBe(0);
  });
  it('reads the outcome', () => {
    expect(importOutcome(report({ status: 'running' }))).toBe('running');
    expect(importOutcome(report({ dry_run: true }))).toBe('checked');
    expect(importOutcome(report({ created: 3 }))).toBe('success');
    expect(importOutcome(report({ mode: 'valid_rows', created: 2, error_count: 1, errors: [{ row: 3, field: 'x', message: 'm' }] }))).toBe('partial');
    expect(importOutcome(report({ status: 'rejected' }))).toBe('rejected');
    expect(importOutcome(report({ status: 'failed' }))).toBe('failed');
  });
});

describe('issue rows', () => {
  it('sorts by row then column with unique keys', () => {
    const rows = issueRows([
      { row: 5, field: 'date_of_birth', column: 'Ngày sinh', message: 'a' },
      { row: 3, field: 'full_name', column: 'Họ và tên', message: 'b' },
      { row: 3, field: 'sex', column: 'Giới tính', message: 'c' },
      { row: 3, field: 'sex', column: 'Giới tính', message: 'd' },
    ]);
    expect(rows.map((r) => [r.row, r.message])).toEqual([
      [3, 'c'],
      [3, 'd'],
      [3, 'b'],
      [5, 'a'],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(4);
    expect(issueRows(undefined)).toEqual([]);
  });
  it('names the column as the file writes it, and counts invalid rows', () => {
    expect(issueColumn({ field: 'date_of_birth', column: 'Ngày sinh' })).toBe('Ngày sinh');
    expect(issueColumn({ field: 'date_of_birth' })).toBe('date_of_birth');
    expect(invalidRows(report({ total_rows: 5, valid_rows: 3 }))).toBe(2);
    expect(invalidRows(report({ total_rows: null }))).toBeNull();
    expect(isCapped(100, 250)).toBe(true);
    expect(isCapped(3, 3)).toBe(false);
  });
});
