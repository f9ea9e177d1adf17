import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Skeleton, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { EpisodeAction, Transition } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate, formatDateTime } from '../../lib/dates';
import { useLooseT } from '../../lib/useLooseT';
import { ActionDialog } from './ActionDialog';
import { useEpisode, useEpisodeHistory } from './hooks';
import { EpisodePerson, EpisodeStateTag, FacilityName, ModalityLabel, usePersonReadable } from './labels';
import { visibleActions } from './rules';

function History({ id }: { id: string }) {
  const { t } = useTranslation();
  const history = useEpisodeHistory(id);
  const looseT = useLooseT();
  const columns: TableColumnsType<Transition> = [
    { title: t('treatment.fields.on'), dataIndex: 'on', key: 'on', render: (v: string) => formatDate(v), width: 110 },
    {
      title: t('treatment.fields.state'),
      key: 'action',
      render: (_, r) => (
        <>
          {looseT(`treatment.historyActions.${r.action}`, r.action)} → <EpisodeStateTag state={r.to_state} />
          {r.outcome && t(`treatment.outcomes.${r.outcome}`)}
        </>
      ),
    },
    { title: t('treatment.fields.facility'), dataIndex: 'facility_id', key: 'facility', render: (v: string | null) => <FacilityName id={v} /> },
    { title: t('treatment.episode.actor'), dataIndex: 'actor', key: 'actor' },
    { title: t('treatment.episode.recordedAt'), dataIndex: 'recorded_at', key: 'recorded_at', render: (v: string) => formatDateTime(v) },
    {
      title: t('treatment.fields.backdate_reason'),
      key: 'why',
      render: (_, r) => [r.backdate_reason, r.note].filter(Boolean).join(' · '),
    },
  ];
  return (
    <>
      {history.isError && <ErrorAlert error={history.error} />}
      <ResponsiveTable<Transition>
        data-testid="episode-history"
        rowKey="sequence"
        columns={columns}
        dataSource={history.data?.items ?? []}
        loading={history.isPending}
        pagination={false}
        size="small"
      />
    </>
  );
}

/** An episode with its history and only the actions its state allows. */
export default function EpisodePage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const episode = useEpisode(id);
  const readable = usePersonReadable();
  const [acting, setActing] = useState<EpisodeAction | null>(null);
  const e = episode.data;
  const actions = e ? visibleActions(e) : [];

  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('treatment.episode.title')}
          </Typography.Title>
          {e && <EpisodeStateTag state={e.state} />}
        </Space>
      }
    >
      {episode.isError && <ErrorAlert error={episode.error} />}
      {episode.isPending && <Skeleton active />}
      {e && (
        <>
          <Space wrap style={{ marginBottom: 16 }} data-testid="episode-actions">
            {actions.map((a) => (
              <Button key={a} data-testid={`episode-action-${a}`} type={a === actions[0] ? 'primary' : 'default'} danger={a === 'discharge'} onClick={() => setActing(a)}>
                {t(`treatment.actions.${a}`)}
              </Button>
            ))}
            {actions.length === 0 && <Typography.Text type="secondary">{t('treatment.episode.noActions')}</Typography.Text>}
          </Space>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('treatment.fields.person')}>
              {readable ? <Link to={`/persons/${e.person_id}`}><EpisodePerson personId={e.person_id} /></Link> : <EpisodePerson personId={e.person_id} />}
            </Descriptions.Item>
            <Descriptions.Item label={t('treatment.fields.modality')}>
              <ModalityLabel modality={e.modality} />
            </Descriptions.Item>
            <Descriptions.Item label={t('treatment.fields.facility')}>
              <FacilityName id={e.facility_id} />
            </Descriptions.Item>
            <Descriptions.Item label={t('treatment.fields.start_date')}>{formatDate(e.start_date)}</Descriptions.Item>
            {e.decision_number && (
              <Descriptions.Item label={t('treatment.fields.decision_number')}>
                {e.decision_number} ({formatDate(e.decision_date)})
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('treatment.fields.planned_end_date')}>{formatDate(e.planned_end_date) || '—'}</Descriptions.Item>
            {e.admitted_on && <Descriptions.Item label={t('treatment.fields.admitted_on')}>{formatDate(e.admitted_on)}</Descriptions.Item>}
            {e.started_on && <Descriptions.Item label={t('treatment.fields.started_on')}>{formatDate(e.started_on)}</Descriptions.Item>}
            {e.ended_on && (
              <Descriptions.Item label={t('treatment.fields.ended_on')}>
                {formatDate(e.ended_on)} {e.outcome && `(${t(`treatment.outcomes.${e.outcome}`)})`}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('treatment.fields.rule')}>{[e.rule.law, e.rule.article].filter(Boolean).join(', ')}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('treatment.episode.history')}</Typography.Title>
          <History id={e.id} />
          {acting && <ActionDialog episode={e} action={acting} onClose={() => setActing(null)} />}
        </>
      )}
    </Card>
  );
}
