/** Access/refresh tokens: kept in memory, mirrored to sessionStorage (survives reload, not new tabs). */

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** epoch ms, informational */
  expiresAt: number;
}

const STORAGE_KEY = 'cainghien.tokens';

type Listener = () => void;

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function load(): Tokens | null {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const t = JSON.parse(raw) as Partial<Tokens>;
    if (typeof t.accessToken === 'string' && typeof t.refreshToken === 'string') {
      return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Number(t.expiresAt) || 0 };
    }
  } catch {
    /* corrupted: ignore */
  }
  return null;
}

let current: Tokens | null = load();
const listeners = new Set<Listener>();

export const tokenStore = {
  get(): Tokens | null {
    return current;
  },
  set(tokens: Tokens | null): void {
    current = tokens;
    const s = storage();
    if (tokens) s?.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else s?.removeItem(STORAGE_KEY);
    listeners.forEach((l) => l());
  },
  clear(): void {
    tokenStore.set(null);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function tokensFromResponse(r: { access_token: string; refresh_token: string; expires_in: number }, now = Date.now()): Tokens {
  return { accessToken: r.access_token, refreshToken: r.refresh_token, expiresAt: now + r.expires_in * 1000 };
}
