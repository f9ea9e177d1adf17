import { describe, expect, it } from 'vitest';
import { fill, ownFacilityId, shownModalities, totalAdmissions } from './occupancy';

const m = (modality: 'compulsory' | 'substitution' | 'voluntary_facility', capacity: number | null, active: number, admitted = 0) => ({
  modality,
  capacity,
  active,
  free: capacity == null ? null : capacity - active,
  admitted_this_year: admitted,
});

describe('occupancy bars', () => {
  it('fills the bar with the share of capacity taken', () => {
    expect(fill(m('compulsory', 300, 150))).toEqual({ percent: 50, over: false });
    expect(fill(m('compulsory', 300, 0))).toEqual({ percent: 0, over: false });
  });
  it('caps the bar at 100 and says when over capacity', () => {
    expect(fill(m('compulsory', 10, 12))).toEqual({ percent: 100, over: true });
    expect(fill(m('compulsory', null, 3))).toEqual({ percent: 100, over: true });
  });
  it('shows planned or used modalities only and sums the admissions', () => {
    const rows = [m('compulsory', 300, 1, 5), m('substitution', null, 0, 0), m('voluntary_facility', 0, 0, 2)];
    expect(shownModalities(rows).map((r) => r.modality)).toEqual(['compulsory', 'voluntary_facility']);
    expect(totalAdmissions(rows)).toBe(7);
  });
});

describe('ownFacilityId', () => {
  it('is the facility of staff holding no officer role', () => {
    expect(ownFacilityId({ roles: ['facility_staff'], facility_id: 'f-1' })).toBe('f-1');
  });
  it('is null for officers, staff without a facility and nobody', () => {
    expect(ownFacilityId({ roles: ['facility_staff', 'province_officer'], facility_id: 'f-1' })).toBeNull();
    expect(ownFacilityId({ roles: ['facility_staff'], facility_id: null })).toBeNull();
    expect(ownFacilityId({ roles: ['admin'], facility_id: 'f-1' })).toBeNull();
    expect(ownFacilityId(undefined)).toBeNull();
  });
});
