import { Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Unit, UnitLevel } from '../../api/types';
import { todayIso } from '../../lib/dates';
import { useDebounced } from '../../lib/useDebounced';
import { useProvinces, useUnit, useUnitSearch } from './hooks';
import { unitLabel } from './label';

export interface UnitSelectProps {
  value?: string | null;
  onChange?: (code: string | undefined, unit?: Unit) => void;
  /** Restrict the search to one level (e.g. 'commune' for a residence). */
  level?: UnitLevel;
  placeholder?: string;
  allowClear?: boolean;
  /** Put on the search <input> so tests can click/fill it directly. */
  testId?: string;
  id?: string;
  style?: React.CSSProperties;
}

function isRetired(unit: Unit, today: string): boolean {
  return !!unit.valid_to && unit.valid_to < today;
}

/** Searchable administrative-unit picker backed by GET /api/registry/units?q=. Value = unit code. */
export function UnitSelect({ value, onChange, level, placeholder, allowClear = true, testId, id, style }: UnitSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const debounced = useDebounced(search, 300);
  // Only query while the dropdown is open (or typed in), not on every page mount.
  const active = open || debounced.trim() !== '';
  const query = useUnitSearch(debounced, level, active);
  const provinces = useProvinces(active || !!value);
  const known = useRef(new Map<string, Unit>());
  const wrapper = useRef<HTMLDivElement>(null);
  const today = todayIso();

  for (const u of query.data?.items ?? []) known.current.set(u.code, u);
  // A preset value that no search has returned yet (e.g. restored state): fetch its name.
  const preset = useUnit(value && !known.current.has(value) ? value : null);
  if (preset.data) known.current.set(preset.data.code, preset.data);

  useEffect(() => {
    // antd puts data-* on the Select's wrapper div; tests want the typing target.
    const input = wrapper.current?.querySelector('input');
    if (input && testId) input.setAttribute('data-testid', testId);
  });

  const options = useMemo(() => {
    const items = [...(query.data?.items ?? [])];
    if (value && !items.some((u) => u.code === value)) {
      const selected = known.current.get(value);
      if (selected) items.unshift(selected);
    }
    return items.map((u) => {
      const province = u.level === 'commune' && u.parent_code ? provinces.data?.get(u.parent_code) : undefined;
      const name = province ? `${unitLabel(u)}, ${unitLabel(province)}` : unitLabel(u);
      return { value: u.code, label: `${name} (${u.code})`, name, unit: u };
    });
    // known.current is filled from these inputs, hence the dependency list.
  }, [query.data, value, provinces.data, preset.data]);

  return (
    <div ref={wrapper} style={style}>
      <Select<string, (typeof options)[number]>
        id={id}
        showSearch
        allowClear={allowClear}
        value={value ?? undefined}
        placeholder={placeholder ?? t('units.placeholder')}
        filterOption={false}
        searchValue={search}
        onSearch={setSearch}
        onChange={(code, option) => {
          setSearch('');
          const unit = Array.isArray(option) ? undefined : option?.unit;
          onChange?.(code ?? undefined, unit);
        }}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) setSearch('');
        }}
        loading={query.isFetching}
        notFoundContent={query.isFetching ? t('common.loading') : t('units.notFound')}
        options={options}
        optionRender={(option) => (
          <Space size={6} wrap={false}>
            <span>{option.data.name}</span>
            <Typography.Text type="secondary">{option.data.unit.code}</Typography.Text>
            {isRetired(option.data.unit, today) && <Tag color="default">{t('units.retired')}</Tag>}
          </Space>
        )}
        style={{ width: '100%' }}
      />
    </div>
  );
}
