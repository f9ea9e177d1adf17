import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../../api/types';
import { EndingSoonTag, StatusTag, useEnumLabels } from '../../../features/persons/labels';
import { formatDate, formatDateTime } from '../../../lib/dates';

export function addressLine(a: Person['residence'] | null | undefined): string {
  if (!a) return '';
  const unit = a.unit_name ? `${a.unit_name} (${a.unit_code})` : a.unit_code;
  return [a.address, unit].filter(Boolean).join(', ');
}

const none = (v: string | null | undefined, dash: string) => (v && v.trim() ? v : dash);

/** Tổng quan: identity, residence, management period, family contact. */
export function Overview({ person: p }: { person: Person }) {
  const { t } = useTranslation();
  const labels = useEnumLabels();
  const dash = t('common.none');
  const column = { xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 };

  return (
    <div data-testid="person-detail">
      <Typography.Title level={5}>{t('personDetail.sections.identity')}</Typography.Title>
      <Descriptions bordered column={column} size="small" style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('person.fields.full_name')}>{p.full_name}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.other_names')}>{p.other_names?.length ? p.other_names.join(', ') : dash}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.date_of_birth')}>
          {p.date_of_birth ? formatDate(p.date_of_birth) : t('personDetail.birthYearOnly', { year: p.birth_year })}
        </Descriptions.Item>
        <Descriptions.Item label={t('person.fields.sex')}>{labels.sex(p.sex)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.national_id')}>{none(p.national_id, dash)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.phone')}>{none(p.phone, dash)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.ethnicity')}>{none(p.ethnicity, dash)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.education')}>{none(p.education, dash)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.occupation')} span={2}>
          {none(p.occupation, dash)}
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5}>{t('personDetail.sections.residence')}</Typography.Title>
      <Descriptions bordered column={1} size="small" style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('person.fields.residence')}>{addressLine(p.residence)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.current_residence')}>
          {p.current_residence ? addressLine(p.current_residence) : t('personDetail.sameAsResidence')}
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5}>{t('personDetail.sections.management')}</Typography.Title>
      <Descriptions bordered column={column} size="small" style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('person.fields.category')}>{labels.category(p.category)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.status')}>
          <StatusTag status={p.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('person.fields.management_period')} span={2}>
          <span data-testid="person-management-period">
            {p.management_start || p.management_end
              ? `${formatDate(p.management_start)} – ${formatDate(p.management_end)}`
              : t('personDetail.noManagementPeriod')}
          </span>{' '}
          {!p.closed_on && <EndingSoonTag end={p.management_end} />}
        </Descriptions.Item>
        {p.closed_on && (
          <>
            <Descriptions.Item label={t('person.fields.closed_on')}>{formatDate(p.closed_on)}</Descriptions.Item>
            <Descriptions.Item label={t('person.fields.closed_reason')}>{none(p.closed_reason, dash)}</Descriptions.Item>
          </>
        )}
        <Descriptions.Item label={t('person.fields.notes')} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{none(p.notes, dash)}</span>
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5}>{t('personDetail.sections.family')}</Typography.Title>
      {p.family_contact ? (
        <Descriptions bordered column={column} size="small" style={{ marginBottom: 24 }} data-testid="person-family">
          <Descriptions.Item label={t('person.fields.family_name')}>{p.family_contact.full_name}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.family_relationship')}>{p.family_contact.relationship}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.family_phone')}>{none(p.family_contact.phone, dash)}</Descriptions.Item>
          <Descriptions.Item label={t('person.fields.family_address')}>{none(p.family_contact.address, dash)}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Paragraph type="secondary">{t('personDetail.noFamily')}</Typography.Paragraph>
      )}

      <Typography.Title level={5}>{t('personDetail.sections.record')}</Typography.Title>
      <Descriptions bordered column={column} size="small">
        <Descriptions.Item label={t('person.fields.created_at')}>{formatDateTime(p.created_at)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.updated_at')}>{formatDateTime(p.updated_at)}</Descriptions.Item>
        <Descriptions.Item label={t('person.fields.version')}>{p.version}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
