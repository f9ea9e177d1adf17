import type { ReactNode } from 'react';

/** The part of an antd column a card needs. */
export interface CardColumn<T> {
  key?: React.Key;
  title?: ReactNode | ((props: never) => ReactNode);
  dataIndex?: string | number | readonly (string | number)[];
  render?: (value: never, record: T, index: number) => ReactNode;
}

export interface CardCell {
  key: string;
  label: ReactNode;
  value: ReactNode;
}

function valueAt(record: unknown, path: CardColumn<unknown>['dataIndex']): unknown {
  if (path === undefined) return undefined;
  const steps = Array.isArray(path) ? path : [path];
  let value: unknown = record;
  for (const step of steps) {
    if (value == null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step as string | number];
  }
  return value;
}

const blank = (v: ReactNode) => v === null || v === undefined || v === false || v === '';

/** A table row as label/value pairs, the way the column renders them; empty cells left out. */
export function cardCells<T>(columns: readonly CardColumn<T>[], record: T, index: number): CardCell[] {
  return columns.flatMap((column, i) => {
    const raw = valueAt(record, column.dataIndex);
    const value = column.render ? column.render(raw as never, record, index) : (raw as ReactNode);
    if (blank(value)) return [];
    const label = typeof column.title === 'function' ? null : column.title;
    return [{ key: String(column.key ?? column.dataIndex ?? i), label, value }];
  });
}
