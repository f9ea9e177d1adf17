import { MedicineBoxOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Card, Col, Empty, InputNumber, Progress, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Facility, ModalityOccupancy } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../lists/LoadMore';
import { useFacilities } from '../lists/hooks';
import { useOccupancy } from './hooks';
import { fill, shownModalities, totalAdmissions } from './occupancy';

function OccupancyBar({ row }: { row: ModalityOccupancy }) {
  const { t } = useTranslation();
  const { percent, over } = fill(row);
  return (
    <div className="occupancy-row" data-testid={`occupancy-${row.modality}`}>
      <div className="occupancy-row__label">
        <Typography.Text>{t(`facilities.modalities.${row.modality}`)}</Typography.Text>
        <Typography.Text strong data-testid="occupancy-count">
          {row.active}/{row.capacity ?? '—'}
        </Typography.Text>
      </div>
      <Progress percent={percent} showInfo={false} status={over ? 'exception' : 'normal'} aria-label={`${row.active}/${row.capacity ?? '—'}`} />
      <Space size={[8, 0]} wrap>
        <Typography.Text type="secondary">
          {row.capacity ? (over ? t('treatment.dashboard.over') : t('treatment.dashboard.free', { count: row.free ?? 0 })) : t('treatment.dashboard.noCapacity')}
        </Typography.Text>
        <Typography.Text type="secondary" data-testid="occupancy-admitted">
          {t('treatment.dashboard.admissionsShort', { count: row.admitted_this_year })}
        </Typography.Text>
      </Space>
    </div>
  );
}

const DISPENSES: ReadonlySet<string> = new Set(['substitution_clinic', 'dispensing_site']);

function FacilityCard({ facility, year }: { facility: Facility; year: number }) {
  const { t } = useTranslation();
  const occupancy = useOccupancy(facility.id, year);
  const rows = shownModalities(occupancy.data?.modalities ?? []);
  const dispenses = DISPENSES.has(facility.kind) || 'substitution' in (facility.capacities ?? {});
  return (
    <Card
      size="small"
      data-testid="facility-card"
      data-facility-id={facility.id}
      title={
        <Typography.Text strong className="app-one-line" title={facility.name}>
          {facility.name}
        </Typography.Text>
      }
      extra={<Tag>{t(`facilities.kinds.${facility.kind}`)}</Tag>}
      actions={[
        <Link key="episodes" to={`/episodes?facility_id=${facility.id}`} data-testid="facility-episodes">
          <UnorderedListOutlined /> {t('treatment.dashboard.episodes')}
        </Link>,
        ...(dispenses
          ? [
              <Link key="doses" to={`/facilities/${facility.id}/doses`} data-testid="facility-dose-sheet">
                <MedicineBoxOutlined /> {t('treatment.dashboard.doseSheet')}
              </Link>,
            ]
          : []),
      ]}
    >
      {occupancy.isError && <ErrorAlert error={occupancy.error} />}
      {occupancy.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {occupancy.data && (
        <>
          <Typography.Paragraph type="secondary" data-testid="facility-admissions">
            {t('treatment.dashboard.admissions', { year, count: totalAdmissions(occupancy.data.modalities) })}
          </Typography.Paragraph>
          {rows.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('treatment.dashboard.empty')} />
          ) : (
            rows.map((row) => <OccupancyBar key={row.modality} row={row} />)
          )}
        </>
      )}
    </Card>
  );
}

/**
 * Each facility the user sees with its occupancy per modality against capacity. The API lists
 * only the facility staff's own facility, so they land on it directly (one full-width card).
 */
export default function FacilityDashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const list = useFacilities();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const own = me.data?.roles.includes('facility_staff') && list.items.length === 1;
  const span = own ? { xs: 24 } : { xs: 24, lg: 12, xxl: 8 };

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {own ? list.items[0]?.name : t('treatment.dashboard.title')}
        </Typography.Title>
      }
      extra={
        <Space>
          <span>{t('treatment.dashboard.year')}</span>
          <InputNumber data-testid="dashboard-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} style={{ width: 90 }} />
        </Space>
      }
    >
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending && <Skeleton active />}
      <Row gutter={[16, 16]}>
        {list.items.map((f) => (
          <Col key={f.id} {...span}>
            <FacilityCard facility={f} year={year} />
          </Col>
        ))}
      </Row>
      {!list.isPending && list.items.length === 0 && <Empty />}
      <LoadMore testId="facility-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Card>
  );
}
