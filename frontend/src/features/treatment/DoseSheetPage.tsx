import { ArrowLeftOutlined, CheckOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Empty, Input, InputNumber, Skeleton, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { isApiError, localizedTitle } from '../../api/problem';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate, todayIso } from '../../lib/dates';
import { applyDayResult, countGiven, lastDose, makeRow, needsChangeReason, nextDueIndex, readyRows, rowProblem, roundMg, toDayDose, type SheetRow } from './doseSheet';
import { useFacility, useLastDoses, useRecordDay, useRecordDose, useSubstitutionRoster } from './hooks';
import { EpisodePerson } from './labels';

const STATUS_COLORS = { given: 'green', due: 'default', error: 'red' } as const;

/**
 * The clinic's day: today's patients in substitution therapy, the dose prefilled from the last
 * one. Enter in a dose field records that dose and moves to the next patient still due; "record
 * all" posts every ready row in one call to the bulk endpoint.
 */
export default function DoseSheetPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const describe = useErrorMessage();
  const navigate = useNavigate();
  const today = todayIso();
  const facility = useFacility(id);
  const roster = useSubstitutionRoster(id);
  const episodeIds = useMemo(() => (roster.data ?? []).map((e) => e.id), [roster.data]);
  const doses = useLastDoses(episodeIds);
  const recordOne = useRecordDose();
  const recordDay = useRecordDay(id);
  const [rows, setRows] = useState<SheetRow[]>([]);
  const inputs = useRef(new Map<string, HTMLInputElement | null>());

  // Build the sheet once the roster and its last doses are in; later edits stay local. (The
  // doses map is a new object each render, so it is read, not watched.)
  const byId = useRef(doses.byId);
  byId.current = doses.byId;
  useEffect(() => {
    if (!roster.data || doses.pending) return;
    setRows(roster.data.map((e) => makeRow(e, lastDose(byId.current.get(e.id)), today)));
  }, [roster.data, doses.pending, today]);

  const patch = (episodeId: string, change: Partial<SheetRow>) => setRows((rs) => rs.map((r) => (r.episodeId === episodeId ? { ...r, ...change } : r)));

  const focusAfter = (index: number, after: SheetRow[]) => {
    const next = nextDueIndex(after, index);
    const target = next == null ? null : after[next];
    if (target) inputs.current.get(target.episodeId)?.focus();
  };

  const record = async (index: number) => {
    const row = rows[index];
    if (!row) return;
    const problem = rowProblem(row);
    if (problem) {
      patch(row.episodeId, { status: problem === 'alreadyGiven' ? 'given' : 'error', error: t(`treatment.doses.${problem}`) });
      return;
    }
    const body = toDayDose(row);
    try {
      await recordOne.mutateAsync({
        id: row.episodeId,
        body: { given_at: new Date().toISOString(), dose_mg: body.dose_mg, ...(body.change_reason ? { change_reason: body.change_reason } : {}) },
      });
      const after = rows.map((r, i) => (i === index ? { ...r, status: 'given' as const, error: null, last: { dose_mg: roundMg(r.mg ?? 0), given_on: today } } : r));
      setRows(after);
      focusAfter(index, after);
    } catch (error) {
      const field = isApiError(error) ? error.problem?.errors?.[0] : undefined;
      patch(row.episodeId, { status: 'error', error: field ? localizedTitle(field.message, i18n.language) : describe(error) });
    }
  };

  const ready = readyRows(rows);
  const recordAll = async () => {
    try {
      const result = await recordDay.mutateAsync({ on: today, doses: ready.map(toDayDose) });
      setRows((rs) => applyDayResult(rs, result, today));
      void message.success(t('treatment.doses.bulkDone', { count: result.recorded }));
    } catch (error) {
      void message.error(describe(error));
    }
  };

  const columns: TableColumnsType<SheetRow> = [
    { title: t('treatment.fields.person'), key: 'person', render: (_, r) => <EpisodePerson personId={r.personId} /> },
    {
      title: t('treatment.doses.last'),
      key: 'last',
      width: 150,
      render: (_, r) => (r.last ? `${r.last.dose_mg} mg · ${formatDate(r.last.given_on)}` : t('treatment.doses.none')),
    },
    {
      title: t('treatment.doses.mg'),
      key: 'mg',
      width: 260,
      render: (_, r) => {
        const index = rows.indexOf(r);
        return (
          <Space direction="vertical" size={4} style={{ width: '100%' }}>
            <Space.Compact style={{ width: '100%' }}>
              <InputNumber
                ref={(el) => void inputs.current.set(r.episodeId, el as HTMLInputElement | null)}
                data-testid={`dose-mg-${r.episodeId}`}
                aria-label={t('treatment.doses.mg')}
                min={0.1}
                max={1000}
                step={0.5}
                precision={1}
                inputMode="decimal"
                disabled={r.status === 'given'}
                value={r.mg}
                onChange={(v) => patch(r.episodeId, { mg: v, error: null, status: r.status === 'error' ? 'due' : r.status })}
                onPressEnter={() => void record(index)}
                style={{ width: '100%' }}
              />
              <Button
                data-testid={`dose-record-${r.episodeId}`}
                icon={<CheckOutlined />}
                disabled={r.status === 'given'}
                onClick={() => void record(index)}
                aria-label={t('treatment.doses.record')}
              >
                {t('treatment.doses.record')}
              </Button>
            </Space.Compact>
            {needsChangeReason(r) && r.status !== 'given' && (
              <Input
                data-testid={`dose-reason-${r.episodeId}`}
                placeholder={t('treatment.doses.changeReason')}
                value={r.changeReason}
                maxLength={1000}
                onChange={(e) => patch(r.episodeId, { changeReason: e.target.value, error: null })}
                onPressEnter={() => void record(index)}
              />
            )}
          </Space>
        );
      },
    },
    {
      title: t('treatment.fields.state'),
      key: 'status',
      width: 160,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Tag color={STATUS_COLORS[r.status]} data-testid={`dose-status-${r.episodeId}`}>
            {t(`treatment.doses.${r.status}`)}
          </Tag>
          {r.error && <Typography.Text type="danger">{r.error}</Typography.Text>}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('treatment.doses.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {facility.data?.name} · {formatDate(today)}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space wrap>
          <Tag data-testid="dose-progress">{t('treatment.doses.progress', { given: countGiven(rows), total: rows.length })}</Tag>
          <Button type="primary" data-testid="dose-record-all" disabled={ready.length === 0} loading={recordDay.isPending} onClick={() => void recordAll()}>
            {t('treatment.doses.recordAll', { count: ready.length })}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon message={t('treatment.doses.hint')} style={{ marginBottom: 12 }} />
      {roster.isError && <ErrorAlert error={roster.error} />}
      {(roster.isPending || doses.pending) && <Skeleton active />}
      {roster.data && !doses.pending && (
        <ResponsiveTable<SheetRow>
          data-testid="dose-sheet"
          rowKey="episodeId"
          columns={columns}
          dataSource={rows}
          pagination={false}
          rowClassName={(r) => (r.status === 'given' ? 'dose-row--given' : '')}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('treatment.doses.empty')} /> }}
        />
      )}
    </Card>
  );
}
