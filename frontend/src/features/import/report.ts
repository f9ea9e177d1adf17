import type { ImportIssue, ImportReport, ImportStatus } from '../../api/types';

/** Column headers of the import template, in order (the server reads them by name). */
export const TEMPLATE_HEADERS = [
  'Họ và tên',
  'Ngày sinh',
  'Giới tính',
  'Số CCCD',
  'Số điện thoại',
  'Mã xã nơi thường trú',
  'Địa chỉ thường trú',
  'Đối tượng',
  'Ngày quyết định quản lý',
  'Dân tộc',
  'Trình độ học vấn',
  'Nghề nghiệp',
  'Ghi chú',
] as const;

export const TEMPLATE_FILENAME = 'mau-nhap-ho-so-doi-tuong.csv';

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The template CSV: UTF-8 with a BOM (so Excel shows the diacritics), one header line. */
export function templateCsv(): string {
  return `\uFEFF${TEMPLATE_HEADERS.map(csvCell).join(',')}\r\n`;
}

export const isRunning = (status: ImportStatus | undefined): boolean => status === 'queued' || status === 'running';

/** Progress 0–100 of a job; a finished job is 100, an unknown total 0. */
export function progressPercent(report: Pick<ImportReport, 'status' | 'processed_rows' | 'total_rows'> | null | undefined): number {
  if (!report) return 0;
  if (!isRunning(report.status)) return 100;
  const total = report.total_rows ?? 0;
  if (total <= 0) return 0;
  return Math.max(0, Math.min(99, Math.floor(((report.processed_rows ?? 0) / total) * 100)));
}

export type ImportOutcome = 'running' | 'success' | 'partial' | 'rejected' | 'failed' | 'checked';

/**
 * How a report reads: still running; a dry run that checked the file; everything imported;
 * some rows imported (valid_rows mode with errors); nothing imported (rejected); a job failure.
 */
export function importOutcome(report: ImportReport): ImportOutcome {
  if (isRunning(report.status)) return 'running';
  if (report.status === 'failed') return 'failed';
  if (report.status === 'rejected') return 'rejected';
  if (report.dry_run) return 'checked';
  return report.error_count > 0 || (report.errors?.length ?? 0) > 0 ? 'partial' : 'success';
}

export interface IssueRow extends ImportIssue {
  key: string;
}

/**
 * Issues sorted by row (the spreadsheet's numbering: header = row 1; row 0 = the whole file),
 * then column, with stable React keys.
 */
export function issueRows(issues: readonly ImportIssue[] | null | undefined): IssueRow[] {
  return [...(issues ?? [])]
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => a.issue.row - b.issue.row || issueColumn(a.issue).localeCompare(issueColumn(b.issue)) || a.i - b.i)
    .map(({ issue, i }) => ({ ...issue, key: `${issue.row}:${issue.field}:${i}` }));
}

/** The column an issue names: the header as written in the file, else the template field. */
export const issueColumn = (issue: Pick<ImportIssue, 'field' | 'column'>): string => issue.column || issue.field || '';

/** Data rows left out (not valid) once the file has been read, else null. */
export const invalidRows = (report: Pick<ImportReport, 'total_rows' | 'valid_rows'>): number | null =>
  report.total_rows == null ? null : Math.max(0, report.total_rows - report.valid_rows);

/** Whether the server sent only the first of the issues. */
export const isCapped = (shown: number, total: number): boolean => total > shown;

export const ACCEPTED_EXTENSIONS = ['.csv', '.xlsx'] as const;

export function isAcceptedFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
