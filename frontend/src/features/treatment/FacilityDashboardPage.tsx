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
import { useAllFacilities, useFacility, useOccupancy } from './hooks';
import { fill, ownFacilityId, shownModalities, totalAdmissions } from './occupancy';

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

/** The staff's own facility first, then the sites under it (a clinic's dispensing points). */
function OwnFacility({ id, year }: { id: string; year: number }) {
  const facility = useFacility(id);
  const all = useAllFacilities();
  const sites = (all.data ?? []).filter((f) => f.parent_id === id);
  if (facility.isError) return <ErrorAlert error={facility.error} />;
  if (!facility.data) return <Skeleton active />;
  return (
    <Row gutter={[16, 16]}>
      {[facility.data, ...sites].map((f) => (
        <Col key={f.id} xs={24} lg={sites.length ? 12 : 24}>
          <FacilityCard facility={f} year={year} />
        </Col>
      ))}
    </Row>
  );
}

function AllFacilities({ year }: { year: number }) {
  const list = useFacilities();
  return (
    <>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending && <Skeleton active />}
      <Row gutter={[16, 16]}>
        {list.items.map((f) => (
          <Col key={f.id} xs={24} lg={12} xxl={8}>
            <FacilityCard facility={f} year={year} />
          </Col>
        ))}
      </Row>
      {!list.isPending && list.items.length === 0 && <Empty />}
      <LoadMore testId="facility-load-more" hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </>
  );
}

/**
 * Each facility the user sees with its occupancy per modality against capacity. Facility
 * staff land on their own facility directly (the list would show every facility of their
 * province: GET /facilities filters by unit, not by the staff's facility).
 */
export default function FacilityDashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const own = ownFacilityId(me.data);
  const ownFacility = useFacility(own ?? undefined);
  const [year, setYear] = useState(() => new Date().getFullYear());

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="dashboard-title">
          {own ? (ownFacility.data?.name ?? '') : t('treatment.dashboard.title')}
        </Typography.Title>
      }
      extra={
        <Space>
          <span>{t('treatment.dashboard.year')}</span>
          <InputNumber data-testid="dashboard-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} style={{ width: 90 }} />
        </Space>
      }
    >
      {me.isPending ? <Skeleton active /> : own ? <OwnFacility id={own} year={year} /> : <AllFacilities year={year} />}
    </Card>
  );
}
