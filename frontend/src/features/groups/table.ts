import { GROUPS, type GroupCounts, type GroupKey } from '../../api/types';

export interface GroupRow {
  key: string;
  unit_code: string;
  unit_name: string;
  groups: Record<GroupKey, number>;
  /** Persons in one of the four groups. */
  in_groups: number;
  /** Every person on file under the unit (any status). */
  total: number;
  isTotal: boolean;
}

/** One table row per child unit (server order), plus the unit's own total row last. */
export function groupRows(children: readonly GroupCounts[], total: GroupCounts | null | undefined): GroupRow[] {
  const row = (c: GroupCounts, isTotal: boolean): GroupRow => {
    const groups = Object.fromEntries(GROUPS.map((g) => [g, c.groups?.[g] ?? 0])) as Record<GroupKey, number>;
    return {
      key: isTotal ? `total:${c.unit_code}` : c.unit_code,
      unit_code: c.unit_code,
      unit_name: c.unit_name ?? c.unit_code,
      groups,
      in_groups: GROUPS.reduce((n, g) => n + groups[g], 0),
      total: c.total ?? 0,
      isTotal,
    };
  };
  return [...children.map((c) => row(c, false)), ...(total ? [row(total, true)] : [])];
}
