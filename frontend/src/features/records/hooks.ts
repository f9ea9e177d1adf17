import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  apiCreateCheckin,
  apiCreateCommitment,
  apiCreateDetermination,
  apiCreateDrugTest,
  apiCreateMovement,
  apiGetTimeline,
  apiListCheckins,
  apiListCommitments,
  apiListDeterminations,
  apiListDrugTests,
  apiListPersonMovements,
  apiUploadCommitmentDocument,
} from '../../api/endpoints';
import type {
  Checkin,
  CheckinCreate,
  Commitment,
  CommitmentCreate,
  CursorPage,
  Determination,
  DeterminationCreate,
  DrugTest,
  DrugTestCreate,
  Movement,
  MovementCreate,
} from '../../api/types';
import { personsKey } from '../persons/hooks';

/** Record lists on a person file, by their path segment. */
export interface RecordTypes {
  determinations: { item: Determination; create: DeterminationCreate };
  'drug-tests': { item: DrugTest; create: DrugTestCreate };
  commitments: { item: Commitment; create: CommitmentCreate };
  checkins: { item: Checkin; create: CheckinCreate };
  movements: { item: Movement; create: MovementCreate };
}
export type RecordKind = keyof RecordTypes;

type Api<K extends RecordKind> = {
  list: (id: string, cursor?: string | null) => Promise<CursorPage<RecordTypes[K]['item']>>;
  create: (id: string, body: RecordTypes[K]['create']) => Promise<RecordTypes[K]['item']>;
};

const API: { [K in RecordKind]: Api<K> } = {
  determinations: { list: apiListDeterminations, create: apiCreateDetermination },
  'drug-tests': { list: apiListDrugTests, create: apiCreateDrugTest },
  commitments: { list: apiListCommitments, create: apiCreateCommitment },
  checkins: { list: apiListCheckins, create: apiCreateCheckin },
  movements: { list: apiListPersonMovements, create: apiCreateMovement },
};

export const recordsKey = (personId: string, kind: RecordKind) => [...personsKey, 'records', personId, kind] as const;
export const timelineKey = (personId: string) => [...personsKey, 'timeline', personId] as const;

export function useRecords<K extends RecordKind>(personId: string, kind: K) {
  const api = API[kind] as Api<K>;
  const query = useInfiniteQuery({
    queryKey: recordsKey(personId, kind),
    queryFn: ({ pageParam }) => api.list(personId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
  });
  const items: RecordTypes[K]['item'][] = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}

/** After a write on a file: its lists, timeline and header (status may follow) are stale. */
export function useInvalidatePersonFile() {
  const queryClient = useQueryClient();
  return async (personId: string, kind?: RecordKind) => {
    await Promise.all([
      kind ? queryClient.invalidateQueries({ queryKey: recordsKey(personId, kind) }) : Promise.resolve(),
      queryClient.invalidateQueries({ queryKey: timelineKey(personId) }),
      queryClient.invalidateQueries({ queryKey: [...personsKey, 'detail', personId] }),
      queryClient.invalidateQueries({ queryKey: [...personsKey, 'list'] }),
    ]);
  };
}

export function useAddRecord<K extends RecordKind>(personId: string, kind: K) {
  const invalidate = useInvalidatePersonFile();
  const api = API[kind] as Api<K>;
  return useMutation<RecordTypes[K]['item'], unknown, RecordTypes[K]['create']>({
    mutationFn: (body) => api.create(personId, body),
    onSuccess: () => invalidate(personId, kind),
  });
}

export function useUploadCommitmentDocument(personId: string) {
  const invalidate = useInvalidatePersonFile();
  return useMutation<Commitment, unknown, { commitmentId: string; file: File }>({
    mutationFn: ({ commitmentId, file }) => apiUploadCommitmentDocument(personId, commitmentId, file),
    onSuccess: () => invalidate(personId, 'commitments'),
  });
}

/** The whole timeline (the server caps it), newest first; `unavailable` names silent services. */
export function useTimeline(personId: string) {
  return useQuery({
    queryKey: timelineKey(personId),
    queryFn: () => apiGetTimeline(personId),
    staleTime: 0,
  });
}
