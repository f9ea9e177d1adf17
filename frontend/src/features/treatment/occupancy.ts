import type { ModalityOccupancy } from '../../api/types';

/** Modalities worth a bar: planned (a capacity) or with people in them. */
export const shownModalities = (rows: readonly ModalityOccupancy[]): ModalityOccupancy[] =>
  rows.filter((r) => (r.capacity ?? 0) > 0 || r.active > 0 || r.admitted_this_year > 0);

/** Percent of the capacity taken (0–100 for the bar) and whether it is over. */
export function fill(row: Pick<ModalityOccupancy, 'capacity' | 'active'>): { percent: number; over: boolean } {
  if (!row.capacity) return { percent: row.active > 0 ? 100 : 0, over: row.active > 0 };
  return { percent: Math.min(100, Math.round((row.active / row.capacity) * 100)), over: row.active > row.capacity };
}

export const totalAdmissions = (rows: readonly ModalityOccupancy[]): number => rows.reduce((n, r) => n + r.admitted_this_year, 0);

const OFFICER_ROLES = ['admin', 'province_officer', 'commune_police', 'commune_officer'];

/** Facility staff without an officer role: their facility (and its sites) is their whole reach. */
export function ownFacilityId(me: { roles: readonly string[]; facility_id?: string | null } | undefined): string | null {
  if (!me?.facility_id || !me.roles.includes('facility_staff')) return null;
  return me.roles.some((r) => OFFICER_ROLES.includes(r)) ? null : me.facility_id;
}
