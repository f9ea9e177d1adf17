import { describe, expect, it } from 'vitest';
import { unitLabel } from './label';

describe('unitLabel', () => {
  it('prefixes the division type only when the name lacks it', () => {
    expect(unitLabel({ name: 'Hưng Yên', division_type: 'tỉnh' })).toBe('Tỉnh Hưng Yên');
    expect(unitLabel({ name: 'Phường Phố Hiến', division_type: 'phường' })).toBe('Phường Phố Hiến');
    expect(unitLabel({ name: 'Việt Nam', division_type: null })).toBe('Việt Nam');
    expect(unitLabel({ name: 'Hà Nội', division_type: 'thành phố' })).toBe('Thành phố Hà Nội');
  });

  it('does not repeat a division the name already carries under a longer type', () => {
    expect(unitLabel({ name: 'Thành phố Hải Phòng', division_type: 'thành phố trung ương' })).toBe('Thành phố Hải Phòng');
    expect(unitLabel({ name: 'Đặc khu Cát Hải', division_type: 'đặc khu' })).toBe('Đặc khu Cát Hải');
  });
});
