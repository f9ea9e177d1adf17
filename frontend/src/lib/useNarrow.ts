import { useSyncExternalStore } from 'react';

/** Below antd's `md` breakpoint (768 px): phones, where lists become cards and the menu a drawer. */
export const NARROW_QUERY = '(max-width: 767.98px)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(NARROW_QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

// Read synchronously on the first render (antd's Grid.useBreakpoint starts empty), so a phone
// never flashes the wide table before the cards.
const snapshot = () => window.matchMedia(NARROW_QUERY).matches;

export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, snapshot, () => false);
}
