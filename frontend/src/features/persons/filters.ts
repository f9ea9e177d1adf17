import { AGE_BANDS, PERSON_STATUSES, SEXES, type AgeBand, type PersonListQuery, type PersonStatus, type Sex } from '../../api/types';

/** The person list's filters as the screen holds them (and as they sit in the URL). */
export interface PersonFilters {
  q?: string;
  unit?: string;
  status?: PersonStatus;
  sex?: Sex;
  age_band?: AgeBand;
  /** Management period ending within this many days. */
  ending_within?: number;
  include_closed?: boolean;
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  v != null && (list as readonly string[]).includes(v) ? (v as T) : undefined;

/** How many filters besides the search text are set (the phone's "Filters (n)" button). */
export function countNarrowing(f: PersonFilters): number {
  const { q: _q, ...rest } = f;
  return Object.values(rest).filter((v) => v !== undefined && v !== false).length;
}

/** URL search params → filters (unknown values are dropped). */
export function filtersFromParams(params: URLSearchParams): PersonFilters {
  const f: PersonFilters = {};
  const q = params.get('q')?.trim();
  if (q) f.q = q;
  const unit = params.get('unit')?.trim();
  if (unit) f.unit = unit;
  const status = oneOf(PERSON_STATUSES, params.get('status'));
  if (status) f.status = status;
  const sex = oneOf(SEXES, params.get('sex'));
  if (sex) f.sex = sex;
  const age = oneOf(AGE_BANDS, params.get('age_band'));
  if (age) f.age_band = age;
  const ending = params.get('ending_within');
  if (ending && /^\d{1,4}$/.test(ending)) f.ending_within = Math.min(Number(ending), 3650);
  if (params.get('include_closed') === '1') f.include_closed = true;
  return f;
}

/** Filters → URL search params (empty filters are left out). */
export function filtersToParams(f: PersonFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q?.trim()) p.set('q', f.q.trim());
  if (f.unit) p.set('unit', f.unit);
  if (f.status) p.set('status', f.status);
  if (f.sex) p.set('sex', f.sex);
  if (f.age_band) p.set('age_band', f.age_band);
  if (f.ending_within != null) p.set('ending_within', String(f.ending_within));
  if (f.include_closed) p.set('include_closed', '1');
  return p;
}

/**
 * Filters → the query of GET /persons (and of the export). Closed files are left out unless
 * asked for, or unless the status asked for is "closed".
 */
export function filtersToQuery(f: PersonFilters): PersonListQuery {
  const query: PersonListQuery = {};
  if (f.q?.trim()) query.q = f.q.trim();
  if (f.unit) query.unit = f.unit;
  if (f.status) query.status = f.status;
  if (f.sex) query.sex = f.sex;
  if (f.age_band) query.age_band = f.age_band;
  if (f.ending_within != null) query.management_ending_within_days = f.ending_within;
  query.include_closed = !!f.include_closed || f.status === 'closed';
  return query;
}

export const hasFilters = (f: PersonFilters): boolean =>
  !!(f.q || f.unit || f.status || f.sex || f.age_band || f.ending_within != null || f.include_closed);

/** Days before the end of the management period from which a file is flagged. */
export const ENDING_SOON_DAYS = 30;

/**
 * Whole days from `today` to `end` (both "YYYY-MM-DD") when the period ends within `days`
 * (0 = ends today), or null when it has no end, has ended, or ends later.
 */
export function daysUntilEnd(end: string | null | undefined, today: string, days = ENDING_SOON_DAYS): number | null {
  if (!end || !/^\d{4}-\d{2}-\d{2}$/.test(end) || !/^\d{4}-\d{2}-\d{2}$/.test(today)) return null;
  const left = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  return left >= 0 && left <= days ? left : null;
}

/** Export file name when the server suggests none: ho-so-doi-tuong-2025-07-01.xlsx */
export const exportFilename = (format: string, today: string): string => `ho-so-doi-tuong-${today}.${format}`;
