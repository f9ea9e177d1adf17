import { describe, expect, it } from 'vitest';
import { cardCells } from './cardCells';

interface Row {
  id: string;
  name: string;
  residence: { unit_name: string | null };
  note: string | null;
}

const row: Row = { id: 'a', name: 'Nguyễn Văn An', residence: { unit_name: 'Phường Phố Hiến' }, note: null };

describe('cardCells', () => {
  it('renders each column as its label and the cell the table would show', () => {
    const cells = cardCells<Row>(
      [
        { title: 'Họ tên', dataIndex: 'name', key: 'name' },
        { title: 'Nơi cư trú', dataIndex: ['residence', 'unit_name'] },
        { title: 'Số thứ tự', key: 'n', render: (_v: never, _r: Row, i: number) => `#${i + 1}` },
      ],
      row,
      2,
    );
    expect(cells).toEqual([
      { key: 'name', label: 'Họ tên', value: 'Nguyễn Văn An' },
      { key: 'residence,unit_name', label: 'Nơi cư trú', value: 'Phường Phố Hiến' },
      { key: 'n', label: 'Số thứ tự', value: '#3' },
    ]);
  });

  it('leaves out empty cells so a phone card stays short', () => {
    const cells = cardCells<Row>([{ title: 'Ghi chú', dataIndex: 'note' }, { title: 'Thiếu', dataIndex: ['residence', 'x', 'y'] }], row, 0);
    expect(cells).toEqual([]);
  });
});
