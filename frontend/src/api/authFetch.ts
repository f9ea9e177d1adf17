/**
 * fetch wrapper used by the generated client: when a request that carried a bearer
 * token gets 401, refresh once (single flight shared by concurrent requests) and retry
 * with the new token; if the refresh fails, report the session as expired.
 */

export interface AuthFetchOptions {
  /** Returns a new access token, or null when the session cannot be refreshed. */
  refresh: () => Promise<string | null>;
  onExpired: () => void;
  baseFetch?: (request: Request) => Promise<Response>;
}

export function createAuthFetch({ refresh, onExpired, baseFetch }: AuthFetchOptions) {
  let inflight: Promise<string | null> | null = null;

  const refreshOnce = (): Promise<string | null> => {
    if (!inflight) {
      inflight = refresh()
        .catch(() => null)
        .finally(() => {
          inflight = null;
        });
    }
    return inflight;
  };

  return async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    const doFetch = baseFetch ?? ((r: Request) => globalThis.fetch(r));
    const hadToken = /^Bearer\s/i.test(request.headers.get('Authorization') ?? '');
    const retryCopy = hadToken ? request.clone() : null;
    const response = await doFetch(request);
    if (response.status !== 401 || !retryCopy) return response;

    const token = await refreshOnce();
    if (!token) {
      onExpired();
      return response;
    }
    const headers = new Headers(retryCopy.headers);
    headers.set('Authorization', `Bearer ${token}`);
    const retried = await doFetch(new Request(retryCopy, { headers }));
    if (retried.status === 401) onExpired();
    return retried;
  };
}
