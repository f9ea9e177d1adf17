import type { Unit } from '../../api/types';

// Names that already say what they are ("Thành phố Hải Phòng" of type "thành phố trung ương").
const DIVISION_WORDS = ['tỉnh', 'thành phố', 'phường', 'xã', 'đặc khu', 'thị trấn', 'thị xã', 'quận', 'huyện'];

type UnitLike = Pick<Unit, 'name'> & { division_type?: string | null };

/**
 * Display name of a unit: the name, prefixed with its division type when the name does not
 * already carry it ("Hưng Yên" + "tỉnh" → "Tỉnh Hưng Yên"; "Phường Phố Hiến" stays as is).
 */
export function unitLabel(unit: UnitLike): string {
  const name = unit.name.trim();
  const type = unit.division_type?.trim();
  const lower = name.toLocaleLowerCase('vi');
  if (!type || lower.startsWith(type.toLocaleLowerCase('vi'))) return name;
  if (DIVISION_WORDS.some((word) => lower.startsWith(`${word} `))) return name;
  return `${type.charAt(0).toLocaleUpperCase('vi')}${type.slice(1)} ${name}`;
}
