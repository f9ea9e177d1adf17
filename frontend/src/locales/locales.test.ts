import { describe, expect, it } from 'vitest';
import en from './en.json';
import vi from './vi.json';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('locales', () => {
  it('vi and en define the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });
  it('has the required Vietnamese labels', () => {
    expect(vi.login.wrongCredentials).toBe('Sai tên đăng nhập hoặc mật khẩu');
    expect(vi.menu).toEqual({
      persons: 'Hồ sơ đối tượng',
      movements: 'Tiếp nhận chuyển đến',
      groups: 'Thống kê 4 nhóm',
      facilities: 'Cơ sở điều trị',
      episodes: 'Đợt điều trị',
      flags: 'Cảnh báo',
      supervisors: 'Người hỗ trợ sau cai',
    });
    expect(vi.personDetail.tabs).toMatchObject({
      overview: 'Tổng quan',
      timeline: 'Dòng thời gian',
      determinations: 'Xác định tình trạng nghiện',
      drugTests: 'Xét nghiệm',
      commitments: 'Cam kết gia đình',
      checkins: 'Gọi hỏi/điểm danh',
      movements: 'Di biến động',
    });
    expect(vi.personDetail.registerTreatment).toBe('Đăng ký điều trị');
    expect(vi.treatment.actions).toMatchObject({ admit: 'Tiếp nhận', complete: 'Hoàn thành', transfer: 'Chuyển cơ sở' });
    expect(vi.personForm.duplicate.confirm).toBe('Vẫn tạo hồ sơ mới');
    expect(vi.person.status.in_substitution_therapy).toBe('Điều trị Methadone');
    expect(vi.person.category.illegal_user).toBe('Người sử dụng trái phép chất ma túy');
  });
});
