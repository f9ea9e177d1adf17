import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonCategory, PersonStatus, Sex } from '../../api/types';

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
