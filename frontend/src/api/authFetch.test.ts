import { describe, expect, it, vi } from 'vitest';
import { createAuthFetch } from './authFetch';

const URL_ = 'http://app.test/api/registry/persons';
const authed = (token: string, init: RequestInit = {}) =>
  new Request(URL_, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });

/** Fake server: 200 only for the "good" token. */
function server() {
  const seen: { auth: string | null; body: string }[] = [];
  const baseFetch = vi.fn(async (r: Request) => {
    const auth = r.headers.get('Authorization');
    seen.push({ auth, body: await r.text() });
    return new Response(null, { status: auth === 'Bearer good' ? 200 : 401 });
  });
  return { baseFetch, seen };
}

describe('createAuthFetch', () => {
  it('refreshes once on 401 and retries with the new token and the same body', async () => {
    const { baseFetch, seen } = server();
    const refresh = vi.fn(async () => 'good');
    const onExpired = vi.fn();
    const f = createAuthFetch({ refresh, onExpired, baseFetch });
    const res = await f(authed('stale', { method: 'POST', body: '{"a":1}' }));
    expect(res.status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(onExpired).not.toHaveBeenCalled();
    expect(seen).toEqual([
      { auth: 'Bearer stale', body: '{"a":1}' },
      { auth: 'Bearer good', body: '{"a":1}' },
    ]);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const { baseFetch } = server();
    const refresh = vi.fn(async () => 'good');
    const f = createAuthFetch({ refresh, onExpired: vi.fn(), baseFetch });
    const results = await Promise.all([f(authed('stale')), f(authed('stale')), f(authed('stale'))]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('reports expiry when the refresh fails and does not retry', async () => {
    const { baseFetch } = server();
    const onExpired = vi.fn();
    const f = createAuthFetch({ refresh: async () => null, onExpired, baseFetch });
    const res = await f(authed('stale'));
    expect(res.status).toBe(401);
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(baseFetch).toHaveBeenCalledTimes(1);
  });

  it('never refreshes for requests without a bearer token (login, refresh)', async () => {
    const { baseFetch } = server();
    const refresh = vi.fn(async () => 'good');
    const f = createAuthFetch({ refresh, onExpired: vi.fn(), baseFetch });
    const res = await f(new Request('http://app.test/auth/login', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });
});
