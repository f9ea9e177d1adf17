import { useInfiniteQuery } from '@tanstack/react-query';
import type { CursorPage } from '../../api/types';

/** Cursor-paged read-only list ("Xem thêm" loads the next page). */
export function useCursorList<T>(key: readonly unknown[], fetchPage: (cursor: string | null) => Promise<CursorPage<T>>) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}
