import { useUnit } from './hooks';
import { unitLabel } from './label';

/** A unit's display name (fetched once per code and cached), with its code while loading or unknown. */
export function UnitName({ code, withCode = false }: { code: string | null | undefined; withCode?: boolean }) {
  const unit = useUnit(code);
  if (!code) return null;
  if (!unit.data) return <>{code}</>;
  return <>{withCode ? `${unitLabel(unit.data)} (${code})` : unitLabel(unit.data)}</>;
}
