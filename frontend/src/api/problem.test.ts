import { describe, expect, it } from 'vitest';
import { ApiError, fieldToNamePath, isProblem, localizedTitle, parseRetryAfter, problemSlug, problemToFieldErrors, toProblem } from './problem';
import { PERSON_FORM_FIELDS } from '../features/persons/form';

describe('fieldToNamePath', () => {
  it('splits dotted paths into antd name paths', () => {
    expect(fieldToNamePath('full_name')).toEqual(['full_name']);
    expect(fieldToNamePath('residence.unit_code')).toEqual(['residence', 'unit_code']);
  });
  it('turns numeric segments into indexes and drops a leading body', () => {
    expect(fieldToNamePath('body.items.0.code')).toEqual(['items', 0, 'code']);
    expect(fieldToNamePath('items[2].code')).toEqual(['items', 2, 'code']);
  });
});

describe('problemToFieldErrors', () => {
  const problem = {
    type: 'about:blank',
    title: 'Dữ liệu không hợp lệ / Validation failed',
    status: 422,
    errors: [
      { field: 'full_name', message: 'Bắt buộc' },
      { field: 'residence.unit_code', message: 'Đơn vị không tồn tại' },
      { field: 'residence.unit_code', message: 'Đơn vị đã giải thể' },
      { field: 'date_of_birth', message: 'Ngày sinh không hợp lệ' },
    ],
  };

  it('maps dotted fields to antd setFields entries, grouping messages', () => {
    const { fields, unmatched } = problemToFieldErrors(problem, PERSON_FORM_FIELDS);
    expect(unmatched).toEqual([]);
    expect(fields).toEqual([
      { name: ['full_name'], errors: ['Bắt buộc'] },
      { name: ['residence', 'unit_code'], errors: ['Đơn vị không tồn tại', 'Đơn vị đã giải thể'] },
      { name: ['date_of_birth'], errors: ['Ngày sinh không hợp lệ'] },
    ]);
  });

  it('puts a parent-object error on its first known child', () => {
    const { fields } = problemToFieldErrors({ status: 422, errors: [{ field: 'residence', message: 'Thiếu' }] }, PERSON_FORM_FIELDS);
    expect(fields).toEqual([{ name: ['residence', 'unit_code'], errors: ['Thiếu'] }]);
  });

  it('reports unknown or empty fields as unmatched', () => {
    const { fields, unmatched } = problemToFieldErrors(
      { status: 422, errors: [{ field: 'foo.bar', message: 'X' }, { field: '', message: 'Y' }] },
      PERSON_FORM_FIELDS,
    );
    expect(fields).toEqual([]);
    expect(unmatched).toEqual(['X', 'Y']);
  });

  it('reduces bilingual field messages to the UI language', () => {
    const p = { status: 409, errors: [{ field: 'national_id', message: 'Số CCCD đã tồn tại / Already on file' }] };
    expect(problemToFieldErrors(p, PERSON_FORM_FIELDS, 'vi').fields).toEqual([{ name: ['national_id'], errors: ['Số CCCD đã tồn tại'] }]);
    expect(problemToFieldErrors(p, PERSON_FORM_FIELDS, 'en').fields).toEqual([{ name: ['national_id'], errors: ['Already on file'] }]);
  });

  it('puts a list item error on the list', () => {
    const { fields } = problemToFieldErrors({ status: 422, errors: [{ field: 'other_names.1', message: 'Quá dài' }] }, PERSON_FORM_FIELDS);
    expect(fields).toEqual([{ name: ['other_names'], errors: ['Quá dài'] }]);
  });

  it('maps everything without a field list and tolerates a missing problem', () => {
    expect(problemToFieldErrors({ status: 422, errors: [{ field: 'a.b', message: 'm' }] }).fields).toEqual([{ name: ['a', 'b'], errors: ['m'] }]);
    expect(problemToFieldErrors(null)).toEqual({ fields: [], unmatched: [] });
  });
});

describe('toProblem', () => {
  it('keeps problem+json members and normalises FastAPI-style errors', () => {
    expect(toProblem({ title: 'T', detail: 'D', errors: [{ loc: ['body', 'full_name'], msg: 'required' }] }, 422)).toEqual({
      status: 422,
      title: 'T',
      detail: 'D',
      errors: [{ field: 'body.full_name', message: 'required' }],
    });
    expect(toProblem({ detail: [{ loc: ['body', 'residence', 'unit_code'], msg: 'Field required' }] }, 422)?.errors).toEqual([
      { field: 'body.residence.unit_code', message: 'Field required' },
    ]);
    expect(toProblem('Bad gateway', 502)).toEqual({ status: 502, title: 'Bad gateway' });
    expect(toProblem(undefined, 500)).toBeNull();
  });
  it('keeps extension members', () => {
    const p = toProblem({ type: 'https://x/problems/possible-duplicate', status: 409, candidates: [], hidden_candidates: 1, errors: [{ field: 'a', message: 'm' }] }, 409);
    expect(p?.extra).toEqual({ candidates: [], hidden_candidates: 1 });
    expect(p?.errors).toEqual([{ field: 'a', message: 'm' }]);
    expect(toProblem({ title: 'T' }, 400)).not.toHaveProperty('extra');
  });
  it('names the problem type by its last segment', () => {
    expect(problemSlug({ type: 'https://cainghien.gov.vn/problems/duplicate-national-id' })).toBe('duplicate-national-id');
    expect(problemSlug(null)).toBe('');
    expect(isProblem(new ApiError(409, { type: 'https://x/problems/possible-duplicate' }), 'possible-duplicate')).toBe(true);
    expect(isProblem(new Error('x'), 'possible-duplicate')).toBe(false);
  });
  it('is carried by ApiError', () => {
    const e = new ApiError(401, { title: 'Sai / Wrong' });
    expect(e.status).toBe(401);
    expect(e.message).toBe('Sai / Wrong');
  });
});

describe('localizedTitle', () => {
  it('picks the language half of a bilingual title', () => {
    expect(localizedTitle('Không tìm thấy / Not found', 'vi')).toBe('Không tìm thấy');
    expect(localizedTitle('Không tìm thấy / Not found', 'en')).toBe('Not found');
    expect(localizedTitle('Plain', 'en')).toBe('Plain');
    expect(localizedTitle(undefined, 'vi')).toBe('');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
