import { describe, expect, it } from 'vitest';
import { toPersonCreate, type PersonFormValues } from './form';

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
});
