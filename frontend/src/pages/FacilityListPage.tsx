import { Card, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { isModality, type Facility, type FacilityKind } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFacilities } from '../features/lists/hooks';
import { LoadMore } from '../features/lists/LoadMore';
import { ResponsiveTable } from '../components/ResponsiveTable';

export default function FacilityListPage() {
  const { t } = useTranslation();
  const list = useFacilities();

  const columns: TableColumnsType<Facility> = [
    { title: t('facilities.fields.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('facilities.fields.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (kind: FacilityKind) => t(`facilities.kinds.${kind}`, { defaultValue: kind }),
    },
    { title: t('facilities.fields.unit_code'), dataIndex: 'unit_code', key: 'unit_code', width: 140 },
    {
      title: t('facilities.fields.capacities'),
      dataIndex: 'capacities',
      key: 'capacities',
      render: (caps: Facility['capacities']) => (
        <Space size={[4, 4]} wrap>
          {Object.entries(caps ?? {}).map(([k, v]) => (
            <Tag key={k}>
              {isModality(k) ? t(`facilities.modalities.${k}`) : k}: {String(v)}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('facilities.title')}</Typography.Title>}>
      {list.isError && <ErrorAlert error={list.error} />}
      <ResponsiveTable<Facility>
        data-testid="facility-table"
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 700 }}
      />
      <LoadMore testId="facility-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Card>
  );
}
