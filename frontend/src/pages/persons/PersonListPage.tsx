import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { PERSON_STATUSES, type Person, type PersonListQuery, type PersonStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../features/lists/LoadMore';
import { usePersonList } from '../../features/persons/hooks';
import { StatusTag, useEnumLabels } from '../../features/persons/labels';
import { UnitSelect } from '../../features/units/UnitSelect';
import { formatDate } from '../../lib/dates';
import { useDebounced } from '../../lib/useDebounced';

export default function PersonListPage() {
  const { t } = useTranslation();
  const labels = useEnumLabels();
  const navigate = useNavigate();
  const location = useLocation();
  const justCreated = (location.state as { created?: Person } | null)?.created;

  const [text, setText] = useState('');
  const [unit, setUnit] = useState<string | undefined>();
  const [status, setStatus] = useState<PersonStatus | undefined>();
  const q = useDebounced(text.trim(), 300);

  const filters = useMemo<PersonListQuery>(
    () => ({ ...(q ? { q } : {}), ...(unit ? { unit } : {}), ...(status ? { status } : {}) }),
    [q, unit, status],
  );
  const list = usePersonList(filters);

  const rows = useMemo(() => {
    const loaded = list.data?.pages.flatMap((p) => p.items) ?? [];
    // Keep a just-created person visible at the top even when the server sorts it onto a later page.
    const noFilters = !filters.q && !filters.unit && !filters.status;
    if (justCreated && noFilters && !loaded.some((p) => p.id === justCreated.id)) return [justCreated, ...loaded];
    return loaded;
  }, [list.data, justCreated, filters]);

  const columns: TableColumnsType<Person> = [
    {
      title: t('person.fields.full_name'),
      dataIndex: 'full_name',
      key: 'full_name',
      render: (name: string, p) => (
        <>
          <Link to={`/persons/${encodeURIComponent(p.id)}`}>{name}</Link>
          {justCreated?.id === p.id && (
            <Tag color="success" style={{ marginLeft: 8 }}>
              {t('person.justCreated')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('person.fields.date_of_birth'),
      dataIndex: 'date_of_birth',
      key: 'date_of_birth',
      width: 130,
      render: (v: string) => formatDate(v),
    },
    { title: t('person.fields.sex'), dataIndex: 'sex', key: 'sex', width: 90, render: (v: Person['sex']) => labels.sex(v) },
    {
      title: t('person.fields.residence_unit'),
      key: 'residence',
      render: (_, p) => p.residence?.unit_name || p.residence?.unit_code,
    },
    { title: t('person.fields.category'), dataIndex: 'category', key: 'category', render: (v: Person['category']) => labels.category(v) },
    { title: t('person.fields.status'), dataIndex: 'status', key: 'status', render: (v: PersonStatus) => <StatusTag status={v} /> },
  ];

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('persons.title')}</Typography.Title>}
      extra={
        <Button data-testid="person-create" type="primary" icon={<PlusOutlined />} onClick={() => navigate('/persons/new')}>
          {t('persons.create')}
        </Button>
      }
    >
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
        <UnitSelect value={unit} onChange={(code) => setUnit(code)} placeholder={t('persons.unitFilter')} testId="person-unit-filter" style={{ width: 280 }} />
        <Select<PersonStatus>
          data-testid="person-status-filter"
          allowClear
          placeholder={t('persons.statusFilter')}
          value={status}
          onChange={(v) => setStatus(v ?? undefined)}
          options={PERSON_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
          style={{ width: 280 }}
        />
      </div>
      {list.isError && (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={list.error} testId="person-list-error" />
        </div>
      )}
      <Table<Person>
        data-testid="person-table"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
        pagination={false}
        size="middle"
        scroll={{ x: 800 }}
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
