import { Button, Card, DatePicker, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GROUPS } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { groupRows, type GroupRow } from '../features/groups/table';
import { useGroups } from '../features/groups/hooks';
import { UnitSelect } from '../features/units/UnitSelect';
import { DISPLAY_DATE, todayIso } from '../lib/dates';
import { ResponsiveTable } from '../components/ResponsiveTable';

/** Thống kê 4 nhóm: persons per group under a unit, per child unit, on a date. */
export default function GroupsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const home = me.data?.jurisdiction ?? undefined;
  const [unit, setUnit] = useState<string | undefined>(undefined);
  const [asOf, setAsOf] = useState<string>(todayIso());
  const selected = unit ?? home;
  const report = useGroups(selected, asOf);
  const rows = useMemo(() => (report.data ? groupRows(report.data.children, report.data.total) : []), [report.data]);

  const count = (n: number) => (n ? n.toLocaleString('vi-VN') : <Typography.Text type="secondary">0</Typography.Text>);

  const columns: TableColumnsType<GroupRow> = [
    {
      title: t('groups.columns.unit'),
      key: 'unit',
      render: (_, r) =>
        r.isTotal ? (
          `${t('groups.totalRow')}: ${r.unit_name}`
        ) : (
          <Button type="link" size="small" style={{ padding: 0 }} title={t('groups.drill')} onClick={() => setUnit(r.unit_code)} data-testid="groups-drill">
            {r.unit_name}
          </Button>
        ),
    },
    ...GROUPS.map((g) => ({
      title: t(`person.groups.${g}`),
      key: g,
      align: 'right' as const,
      width: 150,
      render: (_: unknown, r: GroupRow) => count(r.groups[g]),
    })),
    { title: t('groups.columns.inGroups'), key: 'in', align: 'right', width: 120, render: (_, r) => count(r.in_groups) },
    { title: t('groups.columns.total'), key: 'total', align: 'right', width: 120, render: (_, r) => count(r.total) },
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('groups.title')}</Typography.Title>}>
      <div className="page-toolbar">
        <Space direction="vertical" size={2}>
          <Typography.Text type="secondary">{t('groups.unit')}</Typography.Text>
          <UnitSelect value={selected} onChange={(code) => setUnit(code)} allowClear={false} testId="groups-unit" style={{ width: 320 }} />
        </Space>
        <Space direction="vertical" size={2}>
          <Typography.Text type="secondary">{t('groups.asOf')}</Typography.Text>
          <DatePicker
            data-testid="groups-date"
            format={DISPLAY_DATE}
            allowClear={false}
            value={dayjs(asOf)}
            disabledDate={(d: Dayjs) => d.isAfter(dayjs())}
            onChange={(d) => d && setAsOf(d.format('YYYY-MM-DD'))}
          />
        </Space>
        {unit && unit !== home && (
          <Button type="link" style={{ alignSelf: 'flex-end' }} onClick={() => setUnit(undefined)}>
            {t('groups.up')}
          </Button>
        )}
      </div>
      {report.isError && (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={report.error} testId="groups-error" />
        </div>
      )}
      <ResponsiveTable<GroupRow>
        data-testid="groups-table"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={report.isFetching}
        pagination={false}
        size="middle"
        scroll={{ x: 960 }}
        rowClassName={(r) => (r.isTotal ? 'row-total' : '')}
        locale={{ emptyText: t('groups.empty') }}
      />
    </Card>
  );
}
