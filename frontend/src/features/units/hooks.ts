import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGetUnit, apiListUnits } from '../../api/endpoints';
import type { Unit, UnitLevel } from '../../api/types';

const DAY = 24 * 60 * 60_000;

export function useUnitSearch(q: string, level?: UnitLevel, enabled = true, limit = 20) {
  const text = q.trim();
  return useQuery({
    queryKey: ['units', 'search', { q: text, level: level ?? null, limit }],
    queryFn: () => apiListUnits({ ...(text ? { q: text } : {}), ...(level ? { level } : {}), limit }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
}

/** One unit by code (header jurisdiction, labels for preset values). */
export function useUnit(code: string | null | undefined) {
  return useQuery({
    queryKey: ['units', 'one', code],
    queryFn: () => apiGetUnit(code!),
    enabled: !!code,
    staleTime: DAY,
    retry: false,
  });
}

/** All provinces (34), to name a commune's province in pickers. */
export function useProvinces(enabled = true) {
  return useQuery({
    queryKey: ['units', 'provinces'],
    queryFn: async () => {
      const page = await apiListUnits({ level: 'province', limit: 100 });
      return new Map<string, Unit>(page.items.map((u) => [u.code, u]));
    },
    enabled,
    staleTime: DAY,
  });
}
