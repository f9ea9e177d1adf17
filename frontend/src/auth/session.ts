import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { apiLogin, apiLogout, apiMe } from '../api/endpoints';
import { tokenStore, tokensFromResponse } from '../api/tokens';
import type { Me } from '../api/types';

export const meQueryKey = ['auth', 'me'] as const;

export function useHasSession(): boolean {
  return useSyncExternalStore(tokenStore.subscribe, () => tokenStore.get() !== null);
}

/** The signed-in user (from /auth/me); disabled while there is no token. */
export function useMe() {
  const hasSession = useHasSession();
  return useQuery<Me>({
    queryKey: meQueryKey,
    queryFn: apiMe,
    enabled: hasSession,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useCallback(
    async (username: string, password: string): Promise<Me> => {
      const tokens = await apiLogin(username, password);
      queryClient.clear();
      tokenStore.set(tokensFromResponse(tokens));
      return queryClient.fetchQuery({ queryKey: meQueryKey, queryFn: apiMe });
    },
    [queryClient],
  );
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    const refreshToken = tokenStore.get()?.refreshToken;
    if (refreshToken) {
      // Revoke server-side while the access token is still attached; never block logout for long.
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000));
      await Promise.race([apiLogout(refreshToken).catch(() => undefined), timeout]);
    }
    tokenStore.clear();
    queryClient.clear();
  }, [queryClient]);
}
