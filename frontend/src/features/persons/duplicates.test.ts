import { describe, expect, it } from 'vitest';
import { toProblem } from '../../api/problem';
import { duplicateNationalIdOwner, possibleDuplicate } from './duplicates';

const P = 'https://cainghien.gov.vn/problems/';

describe('possibleDuplicate', () => {
  it('reads the candidates and the hidden count of a 409 possible-duplicate', () => {
    const problem = toProblem(
      {
        type: `${P}possible-duplicate`,
        title: 'Xung đột dữ liệu / Conflict',
        status: 409,
        detail: '…',
        candidates: [
          { id: 'a', full_name: 'Nguyễn Văn Thử', date_of_birth: '1990-05-17', birth_year: 1990, residence_unit_code: '11953' },
          { id: 'b', full_name: 'Nguyễn Văn Thử', date_of_birth: null, birth_year: 1990, residence_unit_code: '11980' },
          { full_name: 'no id' },
        ],
        hidden_candidates: 2,
      },
      409,
    );
    expect(possibleDuplicate(problem)).toEqual({
      candidates: [
        { id: 'a', full_name: 'Nguyễn Văn Thử', date_of_birth: '1990-05-17', birth_year: 1990, residence_unit_code: '11953' },
        { id: 'b', full_name: 'Nguyễn Văn Thử', date_of_birth: null, birth_year: 1990, residence_unit_code: '11980' },
      ],
      hidden: 2,
    });
  });
  it('is null for other problems', () => {
    expect(possibleDuplicate(toProblem({ type: `${P}conflict`, status: 409 }, 409))).toBeNull();
    expect(possibleDuplicate(toProblem({ type: `${P}possible-duplicate` }, 422))).toBeNull();
    expect(possibleDuplicate(null)).toBeNull();
  });
  it('accepts only hidden candidates', () => {
    expect(possibleDuplicate(toProblem({ type: `${P}possible-duplicate`, candidates: [], hidden_candidates: 1 }, 409))).toEqual({ candidates: [], hidden: 1 });
  });
});

describe('duplicateNationalIdOwner', () => {
  it('gives the visible existing file', () => {
    expect(duplicateNationalIdOwner(toProblem({ type: `${P}duplicate-national-id`, existing_id: 'x-1' }, 409))).toBe('x-1');
    expect(duplicateNationalIdOwner(toProblem({ type: `${P}duplicate-national-id` }, 409))).toBeNull();
  });
});
