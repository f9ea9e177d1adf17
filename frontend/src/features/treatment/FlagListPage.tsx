import { Card, Select, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Flag, FlagListQuery } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate } from '../../lib/dates';
import { LoadMore } from '../lists/LoadMore';
import { useFlagList } from './hooks';
import { EpisodePerson, FacilityName } from './labels';

type FlagState = NonNullable<FlagListQuery['state']>;
type FlagKind = NonNullable<FlagListQuery['kind']>;
const KINDS: FlagKind[] = ['positive_test', 'missed_doses'];
const STATES: FlagState[] = ['open', 'closed'];

/** A flag's detail as short "key: value" text (its shape depends on the kind). */
const detailText = (detail: Flag['detail']): string =>
  Object.entries(detail ?? {})
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');

export default function FlagListPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<FlagState | undefined>('open');
  const [kind, setKind] = useState<FlagKind | undefined>();
  const list = useFlagList({ ...(state ? { state } : {}), ...(kind ? { kind } : {}) });

  const columns: TableColumnsType<Flag> = [
    { title: t('treatment.fields.person'), key: 'person', render: (_, f) => <EpisodePerson personId={f.person_id} /> },
    { title: t('treatment.flags.kind'), key: 'kind', render: (_, f) => <Tag color="volcano">{t(`treatment.flags.kinds.${f.kind}`)}</Tag> },
    { title: t('treatment.flags.raised_on'), key: 'raised', render: (_, f) => formatDate(f.raised_on), width: 120 },
    { title: t('treatment.fields.facility'), key: 'facility', render: (_, f) => <FacilityName id={f.facility_id} /> },
    { title: t('treatment.flags.detail'), key: 'detail', render: (_, f) => detailText(f.detail) },
    { title: t('treatment.flags.state'), key: 'state', render: (_, f) => t(`treatment.flags.states.${f.state}`), width: 110 },
    {
      title: t('treatment.flags.episode'),
      key: 'episode',
      render: (_, f) => <Link to={`/episodes/${f.episode_id}`}>{t('treatment.flags.episode')}</Link>,
      width: 120,
    },
  ];

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('treatment.flags.title')}
        </Typography.Title>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          data-testid="flag-state"
          allowClear
          placeholder={t('treatment.flags.state')}
          style={{ minWidth: 140 }}
          value={state}
          onChange={setState}
          options={STATES.map((s) => ({ value: s, label: t(`treatment.flags.states.${s}`) }))}
        />
        <Select
          data-testid="flag-kind"
          allowClear
          placeholder={t('treatment.flags.kind')}
          style={{ minWidth: 200 }}
          value={kind}
          onChange={setKind}
          options={KINDS.map((k) => ({ value: k, label: t(`treatment.flags.kinds.${k}`) }))}
        />
      </Space>
      {list.isError && <ErrorAlert error={list.error} />}
      <ResponsiveTable<Flag> data-testid="flag-table" rowKey="id" columns={columns} dataSource={list.items} loading={list.isPending} pagination={false} />
      <LoadMore testId="flag-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Card>
  );
}
