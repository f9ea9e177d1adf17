import { ArrowLeftOutlined, EditOutlined, MedicineBoxOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { canAccess } from '../../auth/menu';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { usePerson } from '../../features/persons/hooks';
import { birthLabel, EndingSoonTag, StatusTag, useEnumLabels } from '../../features/persons/labels';
import { formatDate } from '../../lib/dates';
import { CloseModal } from './detail/CloseModal';
import { EditDrawer } from './detail/EditDrawer';
import { addressLine, Overview } from './detail/Overview';
import { CheckinsTab, CommitmentsTab, DeterminationsTab, DrugTestsTab, MovementsTab } from './detail/recordTabs';
import { TimelineTab } from './detail/TimelineTab';

const TABS = ['overview', 'timeline', 'determinations', 'drug-tests', 'commitments', 'checkins', 'movements'] as const;
type TabKey = (typeof TABS)[number];
const isTab = (v: string | null): v is TabKey => !!v && (TABS as readonly string[]).includes(v);

export default function PersonDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const labels = useEnumLabels();
  const navigate = useNavigate();
  const location = useLocation();
  // Opened directly (a new tab from a duplicate warning): "back" goes to the list.
  const goBack = () => (location.key === 'default' ? navigate('/persons') : navigate(-1));
  const [params, setParams] = useSearchParams();
  const tab: TabKey = isTab(params.get('tab')) ? (params.get('tab') as TabKey) : 'overview';
  const query = usePerson(id);
  const versioned = query.data;
  const p = versioned?.person;
  const [editing, setEditing] = useState(false);
  const [closing, setClosing] = useState(false);
  const closed = !!p?.closed_on;
  const mayRegister = canAccess(useMe().data?.roles, 'episodes');

  const reload = async () => (await query.refetch()).data;

  const tabLabel = (key: TabKey, text: string) => <span data-testid={`person-tab-${key}`}>{text}</span>;

  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={goBack} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="person-header-name">
            {p?.full_name ?? t('personDetail.title')}
          </Typography.Title>
          {p && (
            <span data-testid="person-header-status">
              <StatusTag status={p.status} />
            </span>
          )}
          {p && !closed && <EndingSoonTag end={p.management_end} />}
        </Space>
      }
      extra={
        p && (
          <Space wrap>
            {mayRegister && (
              <Button data-testid="person-register-treatment" icon={<MedicineBoxOutlined />} disabled={closed} onClick={() => navigate(`/episodes/new?person_id=${p.id}`)}>
                {t('personDetail.registerTreatment')}
              </Button>
            )}
            <Button data-testid="person-edit" icon={<EditOutlined />} disabled={closed} onClick={() => setEditing(true)}>
              {t('personDetail.edit')}
            </Button>
            <Button data-testid="person-close" danger icon={<StopOutlined />} disabled={closed} onClick={() => setClosing(true)}>
              {t('personDetail.close')}
            </Button>
          </Space>
        )
      }
    >
      {query.isError && <ErrorAlert error={query.error} testId="person-load-error" />}
      {query.isPending && <Skeleton active />}
      {p && versioned && (
        <>
          <Space size={[16, 4]} wrap style={{ marginBottom: 12 }} data-testid="person-header">
            <Typography.Text>
              {t('person.fields.date_of_birth')}: <strong>{birthLabel(p)}</strong>
            </Typography.Text>
            <Typography.Text>
              {t('person.fields.sex')}: <strong>{labels.sex(p.sex)}</strong>
            </Typography.Text>
            {p.national_id && (
              <Typography.Text>
                CCCD: <strong>{p.national_id}</strong>
              </Typography.Text>
            )}
            <Typography.Text>
              {t('person.fields.residence')}: <strong>{addressLine(p.residence)}</strong>
            </Typography.Text>
            <Tag>{labels.category(p.category)}</Tag>
          </Space>
          {closed && (
            <Alert
              data-testid="person-closed-banner"
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('personDetail.closedBanner', { date: formatDate(p.closed_on), reason: p.closed_reason ?? '' })}
            />
          )}
          <Tabs
            activeKey={tab}
            onChange={(key) => {
              const next = new URLSearchParams(params);
              if (key === 'overview') next.delete('tab');
              else next.set('tab', key);
              setParams(next, { replace: true });
            }}
            items={[
              { key: 'overview', label: tabLabel('overview', t('personDetail.tabs.overview')), children: <Overview person={p} /> },
              { key: 'timeline', label: tabLabel('timeline', t('personDetail.tabs.timeline')), children: <TimelineTab personId={p.id} /> },
              {
                key: 'determinations',
                label: tabLabel('determinations', t('personDetail.tabs.determinations')),
                children: <DeterminationsTab personId={p.id} readOnly={closed} />,
              },
              {
                key: 'drug-tests',
                label: tabLabel('drug-tests', t('personDetail.tabs.drugTests')),
                children: <DrugTestsTab personId={p.id} readOnly={closed} />,
              },
              {
                key: 'commitments',
                label: tabLabel('commitments', t('personDetail.tabs.commitments')),
                children: <CommitmentsTab personId={p.id} readOnly={closed} />,
              },
              {
                key: 'checkins',
                label: tabLabel('checkins', t('personDetail.tabs.checkins')),
                children: <CheckinsTab personId={p.id} readOnly={closed} />,
              },
              {
                key: 'movements',
                label: tabLabel('movements', t('personDetail.tabs.movements')),
                children: <MovementsTab personId={p.id} readOnly={closed} />,
              },
            ]}
          />
          <EditDrawer open={editing} onClose={() => setEditing(false)} versioned={versioned} reload={reload} />
          <CloseModal open={closing} onClose={() => setClosing(false)} versioned={versioned} reload={reload} />
        </>
      )}
    </Card>
  );
}
