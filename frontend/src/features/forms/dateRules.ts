import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { formatDate, parseDateInput, todayIso } from '../../lib/dates';

/** Validation for a typed date (dd/mm/yyyy or yyyy-mm-dd): format, optionally required, not in the future. */
export function useDateRules({ required = true, notFuture = true }: { required?: boolean; notFuture?: boolean } = {}): Rule[] {
  const { t } = useTranslation();
  const rules: Rule[] = [
    {
      validator: async (_, value?: string) => {
        if (!value?.trim()) return;
        const iso = parseDateInput(value);
        if (!iso) throw new Error(t('records.errors.dateFormat'));
        if (notFuture && iso > todayIso()) throw new Error(t('records.errors.dateFuture'));
      },
    },
  ];
  if (required) rules.unshift({ required: true, whitespace: true, message: t('records.errors.dateRequired') });
  return rules;
}

/** Today as the forms show it (dd/mm/yyyy), for default values. */
export const todayInput = (): string => formatDate(todayIso());

/** Typed date → "YYYY-MM-DD" (the form validated it), or undefined when empty. */
export const isoOrUndefined = (value: string | undefined | null): string | undefined => parseDateInput(value) ?? undefined;

/** Trimmed text, or undefined when empty (optional body fields are left out). */
export const textOrUndefined = (value: string | undefined | null): string | undefined => {
  const v = value?.trim();
  return v ? v : undefined;
};
