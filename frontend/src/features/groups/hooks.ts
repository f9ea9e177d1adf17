import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGetGroups } from '../../api/endpoints';

export function useGroups(unit: string | undefined, asOf: string | undefined) {
  return useQuery({
    queryKey: ['groups', unit, asOf ?? null],
    queryFn: () => apiGetGroups({ unit: unit!, ...(asOf ? { as_of: asOf } : {}) }),
    enabled: !!unit,
    placeholderData: keepPreviousData,
  });
}
