import { DownloadOutlined, FilterOutlined, PlusOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { localizedTitle } from '../../api/problem';
import { AGE_BANDS, PERSON_STATUSES, SEXES, type AgeBand, type ExportFormat, type Person, type PersonStatus, type Sex } from '../../api/types';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { LoadMore } from '../../features/lists/LoadMore';
import { countNarrowing, ENDING_SOON_DAYS, filtersFromParams, filtersToParams, filtersToQuery, hasFilters, type PersonFilters } from '../../features/persons/filters';
import { useExportPersons, usePersonList } from '../../features/persons/hooks';
import { birthLabel, EndingSoonTag, StatusTag, useEnumLabels } from '../../features/persons/labels';
import { UnitSelect } from '../../features/units/UnitSelect';
import { formatDate } from '../../lib/dates';
import { useDebounced } from '../../lib/useDebounced';
import { useNarrow } from '../../lib/useNarrow';
import { ResponsiveTable } from '../../components/ResponsiveTable';

export default function PersonListPage() {
  const { t, i18n } = useTranslation();
  const labels = useEnumLabels();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const justCreated = (location.state as { created?: Person } | null)?.created;

  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const [text, setText] = useState(filters.q ?? '');
  const q = useDebounced(text.trim(), 300);

  const update = (patch: Partial<PersonFilters>) => {
    const next = { ...filtersFromParams(params), ...patch };
    // Keep the router state (the just-created file) while filtering.
    setParams(filtersToParams(next), { replace: true, state: location.state });
  };

  // Search as you type: the debounced text goes into the URL (and so into the query).
  useEffect(() => {
    if ((filters.q ?? '') !== q) update({ q: q || undefined });
  }, [q]);

  const query = useMemo(() => filtersToQuery(filters), [filters]);
  const list = usePersonList(query);
  const exporter = useExportPersons();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  // On a phone only the search shows; the other filters open from a button.
  const narrow = useNarrow();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const narrowing = countNarrowing(filters);
  const showFilters = !narrow || filtersOpen;

  const rows = useMemo(() => {
    const loaded = list.data?.pages.flatMap((p) => p.items) ?? [];
    // Keep a just-created person visible at the top even when the server sorts it onto a later page.
    if (justCreated && !hasFilters(filters) && !loaded.some((p) => p.id === justCreated.id)) return [justCreated, ...loaded];
    return loaded;
  }, [list.data, justCreated, filters]);

  const onExport = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await exporter.mutateAsync({ format, filters: query });
    } catch (e) {
      void message.error(describe(e));
    } finally {
      setExporting(null);
    }
  };

  const columns: TableColumnsType<Person> = [
    {
      title: t('person.fields.full_name'),
      dataIndex: 'full_name',
      key: 'full_name',
      render: (name: string, p) => (
        <Space size={4} wrap>
          <Link to={`/persons/${encodeURIComponent(p.id)}`} data-testid="person-open">
            {name}
          </Link>
          {justCreated?.id === p.id && <Tag color="success">{t('person.justCreated')}</Tag>}
          <EndingSoonTag end={p.closed_on ? null : p.management_end} days={filters.ending_within ?? ENDING_SOON_DAYS} />
        </Space>
      ),
    },
    { title: t('person.fields.date_of_birth'), key: 'date_of_birth', width: 120, render: (_, p) => birthLabel(p) },
    { title: t('person.fields.sex'), dataIndex: 'sex', key: 'sex', width: 80, render: (v: Person['sex']) => labels.sex(v) },
    {
      title: t('person.fields.residence_unit'),
      key: 'residence',
      render: (_, p) => p.residence?.unit_name || p.residence?.unit_code,
    },
    { title: t('person.fields.category'), dataIndex: 'category', key: 'category', render: (v: Person['category']) => labels.category(v) },
    { title: t('person.fields.status'), dataIndex: 'status', key: 'status', render: (v: PersonStatus) => <StatusTag status={v} /> },
    {
      title: t('person.fields.management_end'),
      dataIndex: 'management_end',
      key: 'management_end',
      width: 130,
      render: (v: string | null) => formatDate(v),
    },
  ];

  const created = justCreated && (justCreated.warnings?.length ?? 0) > 0 ? justCreated : null;

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('persons.title')}</Typography.Title>}
      extra={
        <Space wrap>
          <Button data-testid="person-import" icon={<UploadOutlined />} onClick={() => navigate('/persons/import')}>
            {t('persons.import')}
          </Button>
          <Button
            data-testid="person-export-xlsx"
            icon={<DownloadOutlined />}
            loading={exporting === 'xlsx'}
            disabled={!!exporting}
            onClick={() => void onExport('xlsx')}
          >
            {t('persons.exportXlsx')}
          </Button>
          <Button
            data-testid="person-export-csv"
            icon={<DownloadOutlined />}
            loading={exporting === 'csv'}
            disabled={!!exporting}
            onClick={() => void onExport('csv')}
          >
            {t('persons.exportCsv')}
          </Button>
          <Button data-testid="person-create" type="primary" icon={<PlusOutlined />} onClick={() => navigate('/persons/new')}>
            {t('persons.create')}
          </Button>
        </Space>
      }
    >
      {created && (
        <Alert
          data-testid="person-create-warnings"
          type="warning"
          showIcon
          closable
          style={{ marginBottom: 16 }}
          message={t('persons.createdWarnings', { name: created.full_name })}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {created.warnings?.map((w, i) => <li key={i}>{localizedTitle(w.message, i18n.language)}</li>)}
            </ul>
          }
        />
      )}
      <div className="page-toolbar">
        <Input
          data-testid="person-search"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('persons.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          style={{ width: 280 }}
        />
        {narrow && (
          <Button data-testid="person-filters-toggle" icon={<FilterOutlined />} onClick={() => setFiltersOpen((v) => !v)}>
            {narrowing ? t('persons.filtersCount', { count: narrowing }) : t('persons.filters')}
          </Button>
        )}
        {showFilters && (
          <>
            <UnitSelect
              value={filters.unit}
              onChange={(code) => update({ unit: code })}
              placeholder={t('persons.unitFilter')}
              testId="person-unit-filter"
              style={{ width: 280 }}
            />
            <Select<PersonStatus>
              data-testid="person-status-filter"
              allowClear
              placeholder={t('persons.statusFilter')}
              value={filters.status}
              onChange={(v) => update({ status: v ?? undefined })}
              options={PERSON_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
              style={{ width: 280 }}
            />
          </>
        )}
      </div>
      {showFilters && (
        <div className="page-toolbar">
          <Select<Sex>
            data-testid="person-sex-filter"
            allowClear
            placeholder={t('persons.sexFilter')}
            value={filters.sex}
            onChange={(v) => update({ sex: v ?? undefined })}
            options={SEXES.map((s) => ({ value: s, label: labels.sex(s) }))}
            style={{ width: 140 }}
          />
          <Select<AgeBand>
            data-testid="person-age-filter"
            allowClear
            placeholder={t('persons.ageFilter')}
            value={filters.age_band}
            onChange={(v) => update({ age_band: v ?? undefined })}
            options={AGE_BANDS.map((b) => ({ value: b, label: t(`person.ageBand.${b}`) }))}
            style={{ width: 220 }}
          />
          <InputNumber<number>
            data-testid="person-ending-filter"
            min={0}
            max={3650}
            precision={0}
            placeholder={t('persons.endingFilter')}
            addonAfter={t('persons.endingSuffix')}
            value={filters.ending_within ?? null}
            onChange={(v) => update({ ending_within: v ?? undefined })}
            style={{ width: 260 }}
          />
          <Checkbox
            data-testid="person-include-closed"
            checked={!!filters.include_closed}
            onChange={(e) => update({ include_closed: e.target.checked || undefined })}
            style={{ alignSelf: 'center' }}
          >
            {t('persons.includeClosed')}
          </Checkbox>
          {hasFilters(filters) && (
            <Button
              type="link"
              data-testid="person-clear-filters"
              onClick={() => {
                setText('');
                setParams(new URLSearchParams(), { replace: true });
              }}
            >
              {t('persons.clearFilters')}
            </Button>
          )}
        </div>
      )}
      {list.isError && (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={list.error} testId="person-list-error" />
        </div>
      )}
      <ResponsiveTable<Person>
        data-testid="person-table"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
        pagination={false}
        size="middle"
        scroll={{ x: 900 }}
        rowClassName={(p) => (p.closed_on ? 'row-closed' : '')}
      />
      <LoadMore
        testId="person-load-more"
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
    </Card>
  );
}
