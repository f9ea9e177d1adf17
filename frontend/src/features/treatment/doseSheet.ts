/**
 * The clinic's daily dosing sheet: one row per patient in substitution therapy, each with
 * the dose prefilled from the last one. Pure functions; the page holds the state.
 */
import type { DayResult, Dose, Episode } from '../../api/types';

export type RowStatus = 'due' | 'given' | 'error';

export interface SheetRow {
  episodeId: string;
  personId: string;
  /** The latest dose, or null for a patient without one yet. */
  last: Pick<Dose, 'dose_mg' | 'given_on'> | null;
  /** What the nurse typed (prefilled from `last`). */
  mg: number | null;
  changeReason: string;
  status: RowStatus;
  error: string | null;
}

/** Doses arrive latest first; the one to prefill from is the first. */
export const lastDose = (doses: readonly Pick<Dose, 'dose_mg' | 'given_on'>[] | undefined): SheetRow['last'] => doses?.[0] ?? null;

export function makeRow(episode: Pick<Episode, 'id' | 'person_id'>, last: SheetRow['last'], today: string): SheetRow {
  return {
    episodeId: episode.id,
    personId: episode.person_id,
    last,
    mg: last ? last.dose_mg : null,
    changeReason: '',
    status: last?.given_on === today ? 'given' : 'due',
    error: null,
  };
}

/** A dose different from the last one needs a reason (the server refuses it otherwise). */
export const needsChangeReason = (row: Pick<SheetRow, 'last' | 'mg'>): boolean =>
  row.last != null && row.mg != null && Number(row.mg) !== Number(row.last.dose_mg);

/** Why the row cannot be recorded yet (an i18n key under treatment.doses), or null. */
export function rowProblem(row: SheetRow): 'noDose' | 'reasonRequired' | 'alreadyGiven' | null {
  if (row.status === 'given') return 'alreadyGiven';
  if (row.mg == null || !(row.mg > 0) || row.mg > 1000) return 'noDose';
  if (needsChangeReason(row) && !row.changeReason.trim()) return 'reasonRequired';
  return null;
}

/** The rows the bulk "record all" would post: due, with a valid dose. */
export const readyRows = (rows: readonly SheetRow[]): SheetRow[] => rows.filter((r) => rowProblem(r) === null);

/** One row of the bulk body (`given_at` omitted: now, on today's sheet). */
export function toDayDose(row: SheetRow): { episode_id: string; dose_mg: number | string; change_reason?: string } {
  const reason = row.changeReason.trim();
  return { episode_id: row.episodeId, dose_mg: roundMg(row.mg ?? 0), ...(needsChangeReason(row) && reason ? { change_reason: reason } : {}) };
}

/** Doses are measured to one decimal. */
export const roundMg = (mg: number): number => Math.round(mg * 10) / 10;

/** The sheet after the bulk answer: recorded and duplicate rows are given; refused ones carry why. */
export function applyDayResult(rows: readonly SheetRow[], result: Pick<DayResult, 'results'>, today: string): SheetRow[] {
  const byId = new Map(result.results.map((r) => [r.episode_id, r]));
  return rows.map((row) => {
    const r = byId.get(row.episodeId);
    if (!r) return row;
    if (r.status === 'recorded' || r.status === 'duplicate') {
      return { ...row, status: 'given', error: null, last: { dose_mg: roundMg(row.mg ?? 0), given_on: today } };
    }
    return { ...row, status: 'error', error: r.detail ?? r.status };
  });
}

/** The row to focus after `index` is recorded: the next one still to give, wrapping round. */
export function nextDueIndex(rows: readonly Pick<SheetRow, 'status'>[], index: number): number | null {
  for (let step = 1; step <= rows.length; step++) {
    const i = (index + step) % rows.length;
    if (rows[i]?.status !== 'given') return i === index ? null : i;
  }
  return null;
}

export const countGiven = (rows: readonly Pick<SheetRow, 'status'>[]): number => rows.filter((r) => r.status === 'given').length;
