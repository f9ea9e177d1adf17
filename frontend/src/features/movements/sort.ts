import type { Movement } from '../../api/types';

/** Overdue first, then by notification deadline (earliest first), then by date. */
export function sortPending<T extends Pick<Movement, 'overdue' | 'notify_deadline' | 'on'>>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      Number(!!b.overdue) - Number(!!a.overdue) ||
      (a.notify_deadline ?? '9999').localeCompare(b.notify_deadline ?? '9999') ||
      a.on.localeCompare(b.on),
  );
}
