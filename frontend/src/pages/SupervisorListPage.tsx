import { Card, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Organisation, Supervisor } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSupervisors } from '../features/lists/hooks';
import { LoadMore } from '../features/lists/LoadMore';
import { ResponsiveTable } from '../components/ResponsiveTable';

export default function SupervisorListPage() {
  const { t } = useTranslation();
  const list = useSupervisors();

  const columns: TableColumnsType<Supervisor> = [
    { title: t('supervisors.fields.full_name'), dataIndex: 'full_name', key: 'full_name' },
    {
      title: t('supervisors.fields.organisation'),
      dataIndex: 'organisation',
      key: 'organisation',
      render: (o: Organisation) => t(`supervisors.organisations.${o}`, { defaultValue: o }),
    },
    { title: t('supervisors.fields.unit_code'), dataIndex: 'unit_code', key: 'unit_code', width: 140 },
    { title: t('supervisors.fields.phone'), dataIndex: 'phone', key: 'phone', width: 160, render: (v?: string | null) => v || t('common.none') },
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('supervisors.title')}</Typography.Title>}>
      {list.isError && <ErrorAlert error={list.error} />}
      <ResponsiveTable<Supervisor>
        data-testid="supervisor-table"
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 700 }}
      />
      <LoadMore testId="supervisor-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Card>
  );
}
