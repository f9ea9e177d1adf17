import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/problem';
import { splitProblem } from './problemFields';

const label = (f: string) => ({ on: 'Ngày', facility_id: 'Cơ sở' })[f] ?? f;

describe('splitProblem', () => {
  it('puts known fields on the form and names the others', () => {
    const error = new ApiError(422, {
      title: 'Dữ liệu không hợp lệ / Invalid data',
      errors: [
        { field: 'body.backdate_reason', message: 'Cần lý do / A reason is needed' },
        { field: 'facility_id', message: 'Hết chỗ / Full' },
        { field: '', message: 'Chung / General' },
      ],
    });
    const split = splitProblem(error, ['on', 'backdate_reason'], 'vi', label);
    expect(split.fields).toEqual([{ name: ['backdate_reason'], errors: ['Cần lý do'] }]);
    expect(split.lines).toEqual(['Cơ sở: Hết chỗ', 'Chung']);
  });
  it('answers English when asked', () => {
    const error = new ApiError(409, { title: 'x', errors: [{ field: 'on', message: 'Sau hôm nay / After today' }] });
    expect(splitProblem(error, [], 'en', label).lines).toEqual(['Ngày: After today']);
  });
  it('gives nothing for a problem without errors or a non-API error', () => {
    expect(splitProblem(new ApiError(409, { title: 'Conflict' }), ['on'], 'vi', label)).toEqual({ fields: [], lines: [] });
    expect(splitProblem(new Error('boom'), ['on'], 'vi', label)).toEqual({ fields: [], lines: [] });
  });
});
