import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { isModality, MODALITIES, type Episode, type EpisodeListQuery, type EpisodeState } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate } from '../../lib/dates';
import { LoadMore } from '../lists/LoadMore';
import { useAllFacilities, useEpisodeList } from './hooks';
import { EpisodePerson, EpisodeStateTag, FacilityName, ModalityLabel } from './labels';
import { EPISODE_STATES } from './rules';

const ENDING_SOON_DAYS = 30;
const isState = (v: string | null): v is EpisodeState => !!v && (EPISODE_STATES as readonly string[]).includes(v);

/** Filters live in the address, so the dashboard can link to a facility's episodes. */
function useFilters(): [EpisodeListQuery, (patch: Record<string, string | null>) => void] {
  const [params, setParams] = useSearchParams();
  const modality = params.get('modality');
  const state = params.get('state');
  const filters: EpisodeListQuery = {
    ...(modality && isModality(modality) ? { modality } : {}),
    ...(isState(state) ? { state } : {}),
    ...(params.get('facility_id') ? { facility_id: params.get('facility_id')! } : {}),
    ...(params.get('ending') ? { ending_within_days: ENDING_SOON_DAYS } : {}),
  };
  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return [filters, update];
}

export default function EpisodeListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filters, update] = useFilters();
  const list = useEpisodeList(filters);
  const facilities = useAllFacilities();

  const columns: TableColumnsType<Episode> = [
    { title: t('treatment.fields.person'), key: 'person', render: (_, e) => <EpisodePerson personId={e.person_id} /> },
    { title: t('treatment.fields.modality'), key: 'modality', render: (_, e) => <ModalityLabel modality={e.modality} /> },
    { title: t('treatment.fields.state'), key: 'state', render: (_, e) => <EpisodeStateTag state={e.state} />, width: 130 },
    { title: t('treatment.fields.facility'), key: 'facility', render: (_, e) => <FacilityName id={e.facility_id} /> },
    { title: t('treatment.fields.start_date'), key: 'start', render: (_, e) => formatDate(e.start_date), width: 120 },
    { title: t('treatment.fields.planned_end_date'), key: 'end', render: (_, e) => formatDate(e.planned_end_date) || '—', width: 140 },
  ];

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('treatment.list.title')}
        </Typography.Title>
      }
      extra={
        <Button type="primary" icon={<PlusOutlined />} data-testid="episode-new" onClick={() => navigate('/episodes/new')}>
          {t('treatment.list.new')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          data-testid="filter-modality"
          allowClear
          placeholder={t('treatment.fields.modality')}
          style={{ minWidth: 220 }}
          value={filters.modality ?? undefined}
          onChange={(v?: string) => update({ modality: v ?? null })}
          options={MODALITIES.map((m) => ({ value: m, label: t(`facilities.modalities.${m}`) }))}
        />
        <Select
          data-testid="filter-state"
          allowClear
          placeholder={t('treatment.fields.state')}
          style={{ minWidth: 160 }}
          value={filters.state ?? undefined}
          onChange={(v?: string) => update({ state: v ?? null })}
          options={EPISODE_STATES.map((s) => ({ value: s, label: t(`treatment.states.${s}`) }))}
        />
        <Select
          data-testid="filter-facility"
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('treatment.fields.facility')}
          style={{ minWidth: 240 }}
          value={filters.facility_id ?? undefined}
          onChange={(v?: string) => update({ facility_id: v ?? null })}
          options={(facilities.data ?? []).map((f) => ({ value: f.id, label: f.name }))}
        />
        <Checkbox data-testid="filter-ending" checked={!!filters.ending_within_days} onChange={(e) => update({ ending: e.target.checked ? '1' : null })}>
          {t('treatment.list.endingSoon')}
        </Checkbox>
      </Space>
      {list.isError && <ErrorAlert error={list.error} />}
      <ResponsiveTable<Episode>
        data-testid="episode-table"
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.isPending}
        pagination={false}
        onRow={(e) => ({ onClick: () => navigate(`/episodes/${e.id}`), style: { cursor: 'pointer' } })}
      />
      <LoadMore testId="episode-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Card>
  );
}
