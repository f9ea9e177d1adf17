import { Card, Spin, Table } from 'antd';
import type { TableProps } from 'antd';
import type { Key, ReactNode } from 'react';
import { useNarrow } from '../lib/useNarrow';
import { cardCells, type CardColumn } from './cardCells';
import { EmptyState } from './EmptyState';

type Props<T> = TableProps<T> & { 'data-testid'?: string };

function rowKeyOf<T>(rowKey: Props<T>['rowKey'], record: T, index: number): Key {
  if (typeof rowKey === 'function') return rowKey(record, index);
  if (typeof rowKey === 'string') return (record as Record<string, Key>)[rowKey];
  return index;
}

/**
 * An antd Table on wide screens; on a phone the same rows as cards (first column as the card's
 * title, the others as label/value lines), so nothing scrolls sideways at 360 px.
 */
export function ResponsiveTable<T extends object>(props: Props<T>) {
  const narrow = useNarrow();
  if (!narrow) return <Table<T> {...props} />;

  const { columns = [], dataSource = [], loading, rowKey, rowClassName, locale, onRow } = props;
  const testId = props['data-testid'];
  const cols = columns as CardColumn<T>[];
  const empty = (typeof locale?.emptyText === 'function' ? locale.emptyText() : locale?.emptyText) as ReactNode;

  return (
    <Spin spinning={!!loading}>
      <div className="list-cards" data-testid={testId ? `${testId}-cards` : undefined}>
        {dataSource.length === 0 && !loading && (empty ?? <EmptyState />)}
        {dataSource.map((record, index) => {
          const [first, ...rest] = cardCells(cols, record, index);
          const extraClass = typeof rowClassName === 'function' ? rowClassName(record, index, 0) : (rowClassName ?? '');
          const handlers = onRow?.(record, index);
          return (
            <Card
              key={rowKeyOf(rowKey, record, index)}
              size="small"
              className={`list-card ${extraClass}`}
              data-testid="list-card"
              onClick={handlers?.onClick as never}
            >
              {first && <div className="list-card__title">{first.value}</div>}
              {rest.map((cell) => (
                <div className="list-card__row" key={cell.key}>
                  {cell.label && <span className="list-card__label">{cell.label}</span>}
                  <span className="list-card__value">{cell.value}</span>
                </div>
              ))}
            </Card>
          );
        })}
      </div>
    </Spin>
  );
}
