import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Translation for keys computed at run time (event types, summary values): the text when the
 * key exists in the current language, else `fallback`. Typed keys should use `t` directly.
 */
export function useLooseT(): (key: string, fallback: string) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (key: string, fallback: string) => (i18n.exists(key) ? String((t as unknown as (k: string) => string)(key)) : fallback),
    // Re-created on language change so memoised consumers re-render.
    [t, i18n, i18n.language],
  );
}
