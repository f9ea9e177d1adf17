import { usePerson } from './hooks';

/**
 * A person's name by id (movements carry only the id). Reads the file through the same cache
 * as the person page; shows `fallback` while loading or when the file cannot be read.
 */
export function PersonName({ id, fallback }: { id: string; fallback: string }) {
  const person = usePerson(id);
  return <>{person.data?.person.full_name ?? fallback}</>;
}
