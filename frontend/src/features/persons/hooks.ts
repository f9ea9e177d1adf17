import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  apiClosePerson,
  apiCreatePerson,
  apiExportPersons,
  apiGetPersonVersioned,
  apiListPersons,
  apiPatchPerson,
  type VersionedPerson,
} from '../../api/endpoints';
import type { ExportFormat, Person, PersonClose, PersonCreate, PersonListQuery, PersonPatch } from '../../api/types';
import { saveBlob } from '../../lib/download';
import { todayIso } from '../../lib/dates';
import { exportFilename } from './filters';

export const personsKey = ['persons'] as const;
export const personKey = (id: string | undefined) => [...personsKey, 'detail', id] as const;

export function usePersonList(filters: PersonListQuery, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: [...personsKey, 'list', filters, pageSize],
    queryFn: ({ pageParam }) => apiListPersons(filters, pageParam, pageSize),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}

/** The full file with its ETag (for If-Match on edit and close). */
export function usePerson(id: string | undefined) {
  return useQuery<VersionedPerson>({
    queryKey: personKey(id),
    queryFn: () => apiGetPersonVersioned(id!),
    enabled: !!id,
  });
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation<Person, unknown, { body: PersonCreate; confirmNew?: boolean }>({
    mutationFn: ({ body, confirmNew }) => apiCreatePerson(body, confirmNew),
    onSuccess: async (person) => {
      queryClient.setQueryData<VersionedPerson>(personKey(person.id), { person, etag: `"${person.version}"` });
      await queryClient.invalidateQueries({ queryKey: [...personsKey, 'list'] });
    },
  });
}

function useVersionedWrite<V>(id: string, write: (etag: string, body: V) => Promise<VersionedPerson>) {
  const queryClient = useQueryClient();
  return useMutation<VersionedPerson, unknown, { etag: string; body: V }>({
    mutationFn: ({ etag, body }) => write(etag, body),
    onSuccess: async (saved) => {
      queryClient.setQueryData<VersionedPerson>(personKey(id), saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [...personsKey, 'list'] }),
        queryClient.invalidateQueries({ queryKey: [...personsKey, 'timeline', id] }),
      ]);
    },
  });
}

/** PATCH with If-Match; a 412 (changed meanwhile) is left to the caller to show. */
export const usePatchPerson = (id: string) => useVersionedWrite<PersonPatch>(id, (etag, body) => apiPatchPerson(id, etag, body));

export const useClosePerson = (id: string) => useVersionedWrite<PersonClose>(id, (etag, body) => apiClosePerson(id, etag, body));

/** Downloads the list with the given filters as xlsx or csv. */
export function useExportPersons() {
  return useMutation<void, unknown, { format: ExportFormat; filters: PersonListQuery }>({
    mutationFn: async ({ format, filters }) => {
      const file = await apiExportPersons(format, filters);
      saveBlob(file.blob, file.filename ?? exportFilename(format, todayIso()));
    },
  });
}
