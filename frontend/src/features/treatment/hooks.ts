import { keepPreviousData, useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  apiActOnEpisode,
  apiCreateEpisode,
  apiGetEpisode,
  apiGetEpisodeHistory,
  apiGetFacility,
  apiGetOccupancy,
  apiListFacilities,
  apiListDoses,
  apiListEpisodes,
  apiListFlags,
  apiRecordDose,
  apiRecordDoseDay,
} from '../../api/endpoints';
import type { DayResult, Facility, DaySheet, Dose, DoseCreate, Episode, EpisodeCreate, EpisodeListQuery, FlagListQuery } from '../../api/types';

export const treatmentKey = ['treatment'] as const;
const episodeKey = (id: string | undefined) => [...treatmentKey, 'episode', id] as const;

export const useOccupancy = (facilityId: string, year: number) =>
  useQuery({ queryKey: [...treatmentKey, 'occupancy', facilityId, year], queryFn: () => apiGetOccupancy(facilityId, year) });

export const useFacility = (id: string | undefined) =>
  useQuery({ queryKey: [...treatmentKey, 'facility', id], queryFn: () => apiGetFacility(id!), enabled: !!id, staleTime: 5 * 60_000 });

export function useEpisodeList(filters: EpisodeListQuery) {
  const query = useInfiniteQuery({
    queryKey: [...treatmentKey, 'episodes', filters],
    queryFn: ({ pageParam }) => apiListEpisodes(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) ?? [] };
}

/** Every page of a list (a clinic's roster for the day is a few hundred rows at most). */
async function allEpisodes(filters: EpisodeListQuery): Promise<Episode[]> {
  const items: Episode[] = [];
  let cursor: string | null = null;
  do {
    const page = await apiListEpisodes(filters, cursor, 200);
    items.push(...page.items);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return items;
}

/** Today's patients of a dispensing facility: its active substitution episodes. */
export const useSubstitutionRoster = (facilityId: string | undefined) =>
  useQuery({
    queryKey: [...treatmentKey, 'roster', facilityId],
    queryFn: () => allEpisodes({ facility_id: facilityId!, modality: 'substitution', state: 'active' }),
    enabled: !!facilityId,
    // The sheet is built from it once; a refetch on focus would throw away what was typed.
    refetchOnWindowFocus: false,
  });

/** The doses of each episode (latest first), to prefill the sheet from the last one. */
export const useLastDoses = (episodeIds: readonly string[]) =>
  useQueries({
    queries: episodeIds.map((id) => ({ queryKey: [...treatmentKey, 'doses', id], queryFn: () => apiListDoses(id), staleTime: 60_000, refetchOnWindowFocus: false })),
    combine: (results) => ({
      byId: new Map<string, Dose[]>(episodeIds.map((id, i) => [id, results[i]?.data ?? []])),
      pending: results.some((r) => r.isPending),
    }),
  });

export const useEpisode = (id: string | undefined) => useQuery({ queryKey: episodeKey(id), queryFn: () => apiGetEpisode(id!), enabled: !!id });

export const useEpisodeHistory = (id: string | undefined) =>
  useQuery({ queryKey: [...episodeKey(id), 'history'], queryFn: () => apiGetEpisodeHistory(id!), enabled: !!id });

export function useEpisodeAct(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (act: Parameters<typeof apiActOnEpisode>[1]) => apiActOnEpisode(id, act),
    onSuccess: (episode) => {
      queryClient.setQueryData(episodeKey(id), episode);
      // History, lists and occupancy all moved with the transition.
      void queryClient.invalidateQueries({ queryKey: treatmentKey });
    },
  });
}

export function useCreateEpisode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EpisodeCreate) => apiCreateEpisode(body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: treatmentKey }),
  });
}

export const useRecordDose = () => useMutation({ mutationFn: ({ id, body }: { id: string; body: DoseCreate }) => apiRecordDose(id, body) });

export const useRecordDay = (facilityId: string) =>
  useMutation<DayResult, unknown, DaySheet>({ mutationFn: (body) => apiRecordDoseDay(facilityId, body) });

export function useFlagList(filters: FlagListQuery) {
  const query = useInfiniteQuery({
    queryKey: [...treatmentKey, 'flags', filters],
    queryFn: ({ pageParam }) => apiListFlags(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) ?? [] };
}

/** Every facility the user sees, for pickers (a province has a handful, the country a few hundred). */
export const useAllFacilities = () =>
  useQuery({
    queryKey: [...treatmentKey, 'facilities', 'all'],
    queryFn: async () => {
      const items: Facility[] = [];
      let cursor: string | null = null;
      do {
        const page = await apiListFacilities(cursor, 500);
        items.push(...page.items);
        cursor = page.next_cursor ?? null;
      } while (cursor);
      return items;
    },
    staleTime: 5 * 60_000,
  });
