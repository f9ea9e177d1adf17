/** Role → side-menu mapping (single source of truth for menu visibility and route access). */

export const ROLES = ['admin', 'province_officer', 'commune_police', 'commune_officer', 'facility_staff', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export type MenuKey = 'persons' | 'movements' | 'groups' | 'facilities' | 'episodes' | 'flags' | 'supervisors';

export interface MenuEntry {
  key: MenuKey;
  path: string;
  /** i18n key of the label */
  labelKey: `menu.${MenuKey}`;
  roles: readonly Role[];
}

export const MENU: readonly MenuEntry[] = [
  {
    key: 'persons',
    path: '/persons',
    labelKey: 'menu.persons',
    roles: ['admin', 'province_officer', 'commune_police', 'commune_officer'],
  },
  {
    // Arrivals from other communes, for the receiving commune to acknowledge.
    key: 'movements',
    path: '/movements',
    labelKey: 'menu.movements',
    roles: ['commune_police', 'commune_officer'],
  },
  {
    key: 'groups',
    path: '/groups',
    labelKey: 'menu.groups',
    roles: ['admin', 'province_officer', 'commune_police', 'commune_officer'],
  },
  {
    key: 'facilities',
    path: '/facilities',
    labelKey: 'menu.facilities',
    roles: ['admin', 'province_officer', 'facility_staff'],
  },
  {
    // Episodes of every modality: facilities admit and move them, communes register
    // home/community rehabilitation and watch who ends soon.
    key: 'episodes',
    path: '/episodes',
    labelKey: 'menu.episodes',
    roles: ['admin', 'province_officer', 'commune_police', 'commune_officer', 'facility_staff'],
  },
  {
    // Positive tests and missed-dose streaks raised during treatment.
    key: 'flags',
    path: '/flags',
    labelKey: 'menu.flags',
    roles: ['admin', 'province_officer', 'commune_police', 'commune_officer', 'facility_staff'],
  },
  {
    key: 'supervisors',
    path: '/supervisors',
    labelKey: 'menu.supervisors',
    roles: ['admin', 'province_officer', 'commune_police', 'commune_officer', 'supervisor'],
  },
];

/** Menu entries visible to a user holding `roles` (unknown roles grant nothing), in menu order. */
export function menuForRoles(roles: readonly string[] | null | undefined): MenuEntry[] {
  const held = new Set((roles ?? []).map((r) => r.trim().toLowerCase()));
  return MENU.filter((entry) => entry.roles.some((r) => held.has(r)));
}

export function canAccess(roles: readonly string[] | null | undefined, key: MenuKey): boolean {
  return menuForRoles(roles).some((e) => e.key === key);
}

/** Where to land after login: the first menu entry the user may see, or null. */
export function homePath(roles: readonly string[] | null | undefined): string | null {
  return menuForRoles(roles)[0]?.path ?? null;
}

/** Whether a path inside the app may be opened with `roles` (paths outside the menu are allowed). */
export function isPathAllowed(roles: readonly string[] | null | undefined, path: string): boolean {
  const pathname = path.split(/[?#]/)[0] ?? '';
  const entry = MENU.find((e) => pathname === e.path || pathname.startsWith(`${e.path}/`));
  return !entry || canAccess(roles, entry.key);
}
