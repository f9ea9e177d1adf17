import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiAcknowledgeMovement, apiListPendingMovements } from '../../api/endpoints';
import type { Movement } from '../../api/types';
import { useCursorList } from '../lists/useCursorList';
import { personsKey } from '../persons/hooks';

export const pendingMovementsKey = ['movements', 'pending'] as const;

/** Arrivals the caller's commune must acknowledge. */
export const usePendingMovements = () => useCursorList(pendingMovementsKey, (cursor) => apiListPendingMovements(cursor));

export function useAcknowledgeMovement() {
  const queryClient = useQueryClient();
  return useMutation<Movement, unknown, string>({
    mutationFn: apiAcknowledgeMovement,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: pendingMovementsKey }),
        queryClient.invalidateQueries({ queryKey: personsKey }),
      ]);
    },
  });
}
