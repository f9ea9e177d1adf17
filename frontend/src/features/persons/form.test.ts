import { describe, expect, it } from 'vitest';
import type { Person } from '../../api/types';
import { personToFormValues, toPersonCreate, toPersonPatch, type PersonFormValues } from './form';

const base: PersonFormValues = {
  full_name: '  Nguyễn   Văn A ',
  date_of_birth: '05/09/1990',
  sex: 'male',
  national_id: '',
  residence: { unit_code: '11953', address: ' Số 1, đường Bãi Sậy ' },
  current_differs: false,
  category: 'addicted',
};

describe('toPersonCreate', () => {
  it('builds the POST body with an ISO date and no empty optionals', () => {
    expect(toPersonCreate(base)).toEqual({
      full_name: 'Nguyễn Văn A',
      date_of_birth: '1990-09-05',
      sex: 'male',
      residence: { unit_code: '11953', address: 'Số 1, đường Bãi Sậy' },
      category: 'addicted',
    });
  });
  it('includes national_id and a differing current residence', () => {
    const body = toPersonCreate({
      ...base,
      national_id: '033090001234',
      current_differs: true,
      current_residence: { unit_code: '11950', address: 'Tổ 3' },
    });
    expect(body.national_id).toBe('033090001234');
    expect(body.current_residence).toEqual({ unit_code: '11950', address: 'Tổ 3' });
  });
  it('ignores current residence when the box is unchecked', () => {
    expect(toPersonCreate({ ...base, current_residence: { unit_code: '1', address: 'x' } }).current_residence).toBeUndefined();
  });
  it('sends the year alone when only the year is known', () => {
    const body = toPersonCreate({ ...base, birth_year_only: true, birth_year: '1985', date_of_birth: '05/09/1990' });
    expect(body.birth_year).toBe(1985);
    expect(body).not.toHaveProperty('date_of_birth');
  });
  it('adds the new optional fields, normalising phones and names', () => {
    const body = toPersonCreate({
      ...base,
      other_names: [' Tí ', '', 'Tèo'],
      phone: '0912 345.678',
      ethnicity: ' Kinh ',
      education: '9/12',
      occupation: '',
      family_contact: { full_name: ' Trần Thị B ', relationship: 'Mẹ', phone: '', address: '' },
      notes: '  ',
    });
    expect(body.other_names).toEqual(['Tí', 'Tèo']);
    expect(body.phone).toBe('0912345678');
    expect(body.ethnicity).toBe('Kinh');
    expect(body.education).toBe('9/12');
    expect(body).not.toHaveProperty('occupation');
    expect(body.family_contact).toEqual({ full_name: 'Trần Thị B', relationship: 'Mẹ' });
    expect(body).not.toHaveProperty('notes');
  });
  it('leaves out a family contact without a name', () => {
    expect(toPersonCreate({ ...base, family_contact: { full_name: ' ', relationship: 'Mẹ' } })).not.toHaveProperty('family_contact');
  });
  it('sends the management decision date for illegal users only', () => {
    expect(toPersonCreate({ ...base, category: 'illegal_user', management_decision_date: '01/03/2025' }).management_decision_date).toBe('2025-03-01');
    expect(toPersonCreate({ ...base, category: 'addicted', management_decision_date: '01/03/2025' })).not.toHaveProperty('management_decision_date');
  });
});

const stored: Person = {
  id: 'p-1',
  full_name: 'Nguyễn Văn A',
  other_names: ['Tí'],
  date_of_birth: '1990-09-05',
  birth_year: 1990,
  sex: 'male',
  national_id: '033090001234',
  phone: null,
  ethnicity: 'Kinh',
  education: null,
  occupation: null,
  residence: { unit_code: '11953', address: 'Số 1', unit_name: 'Phường Phố Hiến' },
  current_residence: null,
  family_contact: { full_name: 'Trần Thị B', relationship: 'Mẹ', phone: null, address: null },
  category: 'illegal_user',
  status: 'illegal_user_managed',
  management_start: '2025-03-01',
  management_end: '2026-03-01',
  notes: null,
  closed_on: null,
  closed_reason: null,
  version: 3,
  created_at: '2025-03-01T00:00:00Z',
  updated_at: '2025-03-01T00:00:00Z',
  warnings: [],
};

describe('personToFormValues / toPersonPatch', () => {
  it('round-trips a stored person into an empty patch', () => {
    const values = personToFormValues(stored);
    expect(values.date_of_birth).toBe('05/09/1990');
    expect(values.management_decision_date).toBe('01/03/2025');
    expect(values.birth_year_only).toBe(false);
    expect(toPersonPatch(values, values)).toEqual({});
  });
  it('sends only the changed fields, null for cleared optionals', () => {
    const before = personToFormValues(stored);
    const after: PersonFormValues = { ...before, phone: '0912345678', ethnicity: '', other_names: [] };
    expect(toPersonPatch(before, after)).toEqual({ phone: '0912345678', ethnicity: null, other_names: [] });
  });
  it('switches between a full date and a year alone', () => {
    const before = personToFormValues(stored);
    expect(toPersonPatch(before, { ...before, birth_year_only: true, birth_year: 1989 })).toEqual({ date_of_birth: null, birth_year: 1989 });
    const yearOnly = personToFormValues({ ...stored, date_of_birth: null, birth_year: 1989 });
    expect(yearOnly.birth_year_only).toBe(true);
    expect(toPersonPatch(yearOnly, { ...yearOnly, birth_year_only: false, date_of_birth: '01/02/1989' })).toEqual({
      date_of_birth: '1989-02-01',
      birth_year: null,
    });
  });
  it('sends a whole residence when part of it changed, and clears the family contact', () => {
    const before = personToFormValues(stored);
    const after: PersonFormValues = { ...before, residence: { unit_code: '11953', address: 'Số 2' }, family_contact: { full_name: '' } };
    expect(toPersonPatch(before, after)).toEqual({ residence: { unit_code: '11953', address: 'Số 2' }, family_contact: null });
  });
});
