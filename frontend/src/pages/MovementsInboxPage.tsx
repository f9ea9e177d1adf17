import { CheckOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Movement, MovementKind } from '../api/types';
import { ErrorAlert, useErrorMessage } from '../components/ErrorAlert';
import { LoadMore } from '../features/lists/LoadMore';
import { useAcknowledgeMovement, usePendingMovements } from '../features/movements/hooks';
import { sortPending } from '../features/movements/sort';
import { PersonName } from '../features/persons/PersonName';
import { UnitName } from '../features/units/UnitName';
import { formatDate, formatDateTime } from '../lib/dates';
import { ResponsiveTable } from '../components/ResponsiveTable';

/** Arrivals from other communes that this commune must acknowledge; overdue ones first, in red. */
export default function MovementsInboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const list = usePendingMovements();
  const acknowledge = useAcknowledgeMovement();
  const [pendingId, setPendingId] = useState<string | null>(null);
  const rows = useMemo(() => sortPending(list.items), [list.items]);

  const onAcknowledge = async (m: Movement) => {
    setPendingId(m.id);
    try {
      await acknowledge.mutateAsync(m.id);
      void message.success(t('movementsInbox.acknowledged'));
    } catch (e) {
      void message.error(describe(e));
    } finally {
      setPendingId(null);
    }
  };

  const columns: TableColumnsType<Movement> = [
    {
      title: t('movementsInbox.columns.person'),
      key: 'person',
      render: (_, m) => (
        <Link to={`/persons/${encodeURIComponent(m.person_id)}`} data-testid="movement-inbox-person">
          <PersonName id={m.person_id} fallback={t('movementsInbox.openFile')} />
        </Link>
      ),
    },
    {
      title: t('movementsInbox.columns.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (v: MovementKind) => t(`records.movement.kinds.${v}`, { defaultValue: v }),
    },
    { title: t('movementsInbox.columns.on'), dataIndex: 'on', key: 'on', width: 120, render: (v: string) => formatDate(v) },
    {
      title: t('movementsInbox.columns.from'),
      key: 'from',
      render: (_, m) => <UnitName code={m.from_unit_code} withCode />,
    },
    {
      title: t('movementsInbox.columns.deadline'),
      dataIndex: 'notify_deadline',
      key: 'deadline',
      width: 190,
      render: (v: string | null | undefined, m) => (
        <>
          {formatDateTime(v)}{' '}
          {m.overdue && (
            <Tag color="red" data-testid="movement-overdue">
              {t('movementsInbox.overdue')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('movementsInbox.columns.action'),
      key: 'action',
      width: 200,
      render: (_, m) => (
        <Popconfirm title={t('movementsInbox.confirm')} onConfirm={() => void onAcknowledge(m)} okButtonProps={{ id: `ack-ok-${m.id}` }}>
          <Button data-testid="movement-acknowledge" type="primary" size="small" icon={<CheckOutlined />} loading={pendingId === m.id}>
            {t('movementsInbox.acknowledge')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('movementsInbox.title')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">{t('movementsInbox.intro')}</Typography.Paragraph>
      {list.isError && (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={list.error} testId="movement-inbox-error" />
        </div>
      )}
      <ResponsiveTable<Movement>
        data-testid="movement-inbox-table"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isPending}
        pagination={false}
        size="middle"
        scroll={{ x: 800 }}
        rowClassName={(m) => (m.overdue ? 'row-overdue' : '')}
        locale={{ emptyText: t('movementsInbox.empty') }}
      />
      <LoadMore testId="movement-inbox-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Card>
  );
}
