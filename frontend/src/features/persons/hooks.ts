import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiCreatePerson, apiGetPerson, apiListPersons } from '../../api/endpoints';
import type { Person, PersonCreate, PersonListQuery } from '../../api/types';

export const personsKey = ['persons'] as const;

export function usePersonList(filters: PersonListQuery, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: [...personsKey, 'list', filters, pageSize],
    queryFn: ({ pageParam }) => apiListPersons(filters, pageParam, pageSize),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string | undefined) {
  return useQuery({
    queryKey: [...personsKey, 'detail', id],
    queryFn: () => apiGetPerson(id!),
    enabled: !!id,
  });
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation<Person, unknown, PersonCreate>({
    mutationFn: apiCreatePerson,
    onSuccess: async (person) => {
      queryClient.setQueryData([...personsKey, 'detail', person.id], person);
      await queryClient.invalidateQueries({ queryKey: [...personsKey, 'list'] });
    },
  });
}
