import type { Unit } from '../../api/types';

type UnitLike = Pick<Unit, 'name'> & { division_type?: string | null };

/**
 * Display name of a unit: the name, prefixed with its division type when the name does not
 * already carry it ("Hưng Yên" + "tỉnh" → "Tỉnh Hưng Yên"; "Phường Phố Hiến" stays as is).
 */
export function unitLabel(unit: UnitLike): string {
  const name = unit.name.trim();
  const type = unit.division_type?.trim();
  if (!type || name.toLocaleLowerCase('vi').startsWith(type.toLocaleLowerCase('vi'))) return name;
  return `${type.charAt(0).toLocaleUpperCase('vi')}${type.slice(1)} ${name}`;
}
