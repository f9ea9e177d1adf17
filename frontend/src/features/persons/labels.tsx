import { ClockCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Person, PersonCategory, PersonStatus, Sex } from '../../api/types';
import { formatDate, todayIso } from '../../lib/dates';
import { daysUntilEnd, ENDING_SOON_DAYS } from './filters';

const statusColor: Record<PersonStatus, string> = {
  illegal_user_managed: 'gold',
  addicted_untreated: 'volcano',
  in_home_community_rehab: 'cyan',
  in_substitution_therapy: 'geekblue',
  in_facility: 'purple',
  in_aftercare: 'green',
  relapsed: 'red',
  closed: 'default',
};

export function StatusTag({ status }: { status: PersonStatus }) {
  const { t } = useTranslation();
  return <Tag color={statusColor[status] ?? 'default'}>{t(`person.status.${status}`, { defaultValue: status })}</Tag>;
}

export function useEnumLabels() {
  const { t } = useTranslation();
  return {
    status: (s: PersonStatus) => t(`person.status.${s}`, { defaultValue: s }),
    category: (c: PersonCategory) => t(`person.category.${c}`, { defaultValue: c }),
    sex: (s: Sex) => t(`person.sex.${s}`, { defaultValue: s }),
  };
}

/** Tag for a management period ending within `days` (none otherwise). */
export function EndingSoonTag({ end, days = ENDING_SOON_DAYS }: { end: string | null | undefined; days?: number }) {
  const { t } = useTranslation();
  const left = daysUntilEnd(end, todayIso(), days);
  if (left == null) return null;
  return (
    <Tag color="orange" icon={<ClockCircleOutlined />} data-testid="person-ending-tag">
      {left === 0 ? t('person.endingToday') : t('person.endingSoon', { days: left })}
    </Tag>
  );
}

export const birthLabel = (p: Pick<Person, 'date_of_birth' | 'birth_year'>): string =>
  p.date_of_birth ? formatDate(p.date_of_birth) : p.birth_year ? String(p.birth_year) : '';

