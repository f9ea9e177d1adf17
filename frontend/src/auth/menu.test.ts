import { describe, expect, it } from 'vitest';
import { canAccess, homePath, isPathAllowed, menuForRoles, ROLES } from './menu';

const keys = (roles: string[]) => menuForRoles(roles).map((e) => e.key);

describe('menuForRoles', () => {
  it('maps each role to its menu items', () => {
    const expected: Record<(typeof ROLES)[number], string[]> = {
      admin: ['persons', 'groups', 'facilities', 'episodes', 'flags', 'supervisors'],
      province_officer: ['persons', 'groups', 'facilities', 'episodes', 'flags', 'supervisors'],
      commune_police: ['persons', 'movements', 'groups', 'episodes', 'flags', 'supervisors'],
      commune_officer: ['persons', 'movements', 'groups', 'episodes', 'flags', 'supervisors'],
      facility_staff: ['facilities', 'episodes', 'flags'],
      supervisor: ['supervisors'],
    };
    for (const role of ROLES) expect(keys([role]), role).toEqual(expected[role]);
  });

  it('unions several roles in menu order without duplicates', () => {
    expect(keys(['supervisor', 'facility_staff'])).toEqual(['facilities', 'episodes', 'flags', 'supervisors']);
    expect(keys(['commune_police', 'commune_officer'])).toEqual(['persons', 'movements', 'groups', 'episodes', 'flags', 'supervisors']);
  });

  it('grants nothing for no or unknown roles', () => {
    expect(keys([])).toEqual([]);
    expect(keys(['guest'])).toEqual([]);
    expect(menuForRoles(undefined)).toEqual([]);
  });

  it('gives the paths and the landing page', () => {
    expect(menuForRoles(['admin']).map((e) => e.path)).toEqual(['/persons', '/groups', '/facilities', '/episodes', '/flags', '/supervisors']);
    expect(isPathAllowed(['supervisor'], '/episodes/e-1')).toBe(false);
    expect(isPathAllowed(['facility_staff'], '/episodes/new?person_id=p-1')).toBe(true);
    expect(homePath(['facility_staff'])).toBe('/facilities');
    expect(homePath(['guest'])).toBeNull();
    expect(canAccess(['supervisor'], 'persons')).toBe(false);
    expect(canAccess(['commune_police'], 'persons')).toBe(true);
  });

  it('checks deep links against the roles', () => {
    expect(isPathAllowed(['facility_staff'], '/persons/p-1')).toBe(false);
    expect(isPathAllowed(['commune_officer'], '/persons/new?x=1')).toBe(true);
    expect(isPathAllowed(['commune_officer'], '/persons/import')).toBe(true);
    expect(isPathAllowed(['province_officer'], '/movements')).toBe(false);
    expect(isPathAllowed(['commune_police'], '/groups?unit=11953')).toBe(true);
    expect(isPathAllowed(['supervisor'], '/supervisors')).toBe(true);
    expect(isPathAllowed(['supervisor'], '/personsX')).toBe(true);
    expect(isPathAllowed([], '/')).toBe(true);
  });
});
