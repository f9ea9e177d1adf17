/**
 * The only module that calls the generated SDK (src/client). Every function returns the
 * response body or throws ApiError (problem+json). Screens use these through feature hooks.
 */
import { client } from '../client/client.gen';
import * as sdk from '../client/sdk.gen';
import { createAuthFetch } from './authFetch';
import { ApiError, parseRetryAfter, toProblem } from './problem';
import { tokenStore, tokensFromResponse } from './tokens';
import type {
  CursorPage,
  Facility,
  Me,
  Person,
  PersonCreate,
  PersonListQuery,
  Supervisor,
  TokenResponse,
  Unit,
  UnitQuery,
} from './types';

type SessionExpiredListener = () => void;
const expiredListeners = new Set<SessionExpiredListener>();

/** Called when a 401 could not be fixed by refreshing (tokens are already cleared). */
export function onSessionExpired(listener: SessionExpiredListener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

async function refreshAccessToken(): Promise<string | null> {
  const refreshToken = tokenStore.get()?.refreshToken;
  if (!refreshToken) return null;
  const { data, error } = await sdk.refresh({ body: { refresh_token: refreshToken } });
  if (error || !data?.access_token) return null;
  const tokens = tokensFromResponse(data);
  tokenStore.set(tokens);
  return tokens.accessToken;
}

client.setConfig({
  baseUrl: '',
  auth: () => tokenStore.get()?.accessToken,
  fetch: createAuthFetch({
    refresh: refreshAccessToken,
    onExpired: () => {
      tokenStore.clear();
      expiredListeners.forEach((l) => l());
    },
  }),
});

client.interceptors.error.use((error, response) => {
  if (error instanceof ApiError) return error;
  const status = response?.status ?? 0;
  return new ApiError(status, toProblem(error, status), parseRetryAfter(response?.headers.get('Retry-After')));
});

/** Unwraps `{data, error}` from the generated SDK into data-or-throw. */
async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response?: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined) {
    if (error instanceof ApiError) throw error;
    const status = response?.status ?? 0;
    throw new ApiError(status, toProblem(error, status));
  }
  return data as T;
}

// ---- auth ----
export const apiLogin = (username: string, password: string): Promise<TokenResponse> =>
  unwrap(sdk.login({ body: { username, password } }));

export const apiLogout = async (refreshToken: string): Promise<void> => {
  await unwrap(sdk.logout({ body: { refresh_token: refreshToken } }));
};

export const apiMe = (): Promise<Me> => unwrap(sdk.me());

// ---- registry ----
export const apiListUnits = (query: UnitQuery): Promise<CursorPage<Unit>> => unwrap(sdk.listUnits({ query }));

export const apiGetUnit = (code: string): Promise<Unit> => unwrap(sdk.getUnit({ path: { code } }));

export const apiListPersons = (query: PersonListQuery, cursor?: string | null, limit = 50): Promise<CursorPage<Person>> =>
  unwrap(sdk.listPersons({ query: { ...query, limit, ...(cursor ? { cursor } : {}) } }));

/** Full record (national id in clear); the backend audits this read. */
export const apiGetPerson = (id: string): Promise<Person> => unwrap(sdk.getPerson({ path: { person_id: id } }));

export const apiCreatePerson = (body: PersonCreate): Promise<Person> => unwrap(sdk.createPerson({ body }));

// ---- treatment / aftercare ----
export const apiListFacilities = (cursor?: string | null, limit = 50): Promise<CursorPage<Facility>> =>
  unwrap(sdk.listFacilities({ query: { limit, ...(cursor ? { cursor } : {}) } }));

export const apiListSupervisors = (cursor?: string | null, limit = 50): Promise<CursorPage<Supervisor>> =>
  unwrap(sdk.listSupervisors({ query: { limit, ...(cursor ? { cursor } : {}) } }));
