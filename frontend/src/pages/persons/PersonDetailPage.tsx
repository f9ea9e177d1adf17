import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { Person } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { usePerson } from '../../features/persons/hooks';
import { StatusTag, useEnumLabels } from '../../features/persons/labels';
import { formatDate, formatDateTime } from '../../lib/dates';

function address(a: Person['residence'] | null | undefined): string {
  if (!a) return '';
  const unit = a.unit_name ? `${a.unit_name} (${a.unit_code})` : a.unit_code;
  return [a.address, unit].filter(Boolean).join(', ');
}

export default function PersonDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const labels = useEnumLabels();
  const navigate = useNavigate();
  const person = usePerson(id);
  const p = person.data;

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/persons')} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {p?.full_name ?? t('personDetail.title')}
          </Typography.Title>
        </Space>
      }
    >
      {person.isError && <ErrorAlert error={person.error} />}
      {person.isPending && <Skeleton active />}
      {p && (
        <Descriptions bordered column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="middle" data-testid="person-detail">
          <Descriptions.Item label={t('person.fields.full_name')}>{p.full_name}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.date_of_birth')}>{formatDate(p.date_of_birth)}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.sex')}>{labels.sex(p.sex)}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.national_id')}>{p.national_id ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.residence')} span={2}>
            {address(p.residence)}
          </Descriptions.Item>
          <Descriptions.Item label={t('person.fields.current_residence')} span={2}>
            {p.current_residence ? address(p.current_residence) : t('personDetail.sameAsResidence')}
          </Descriptions.Item>
          <Descriptions.Item label={t('person.fields.category')}>{labels.category(p.category)}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.status')}>
            <StatusTag status={p.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('person.fields.created_at')}>{formatDateTime(p.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.version')}>{p.version}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
