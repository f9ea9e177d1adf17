import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError, localizedTitle } from '../api/problem';

/** Human message for any error thrown by src/api (problem+json aware, bilingual titles). */
export function useErrorMessage() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (isApiError(error)) {
      if (error.status === 0) return t('errors.network');
      const title = localizedTitle(error.problem?.title, i18n.language);
      if (error.status === 429) {
        return error.retryAfter != null ? t('errors.throttledRetry', { seconds: error.retryAfter }) : t('errors.throttled');
      }
      if (error.status === 403) return title || t('errors.forbidden');
      if (error.status === 404) return title || t('errors.notFound');
      const detail = error.problem?.detail;
      if (title && detail && detail !== title) return `${title}: ${detail}`;
      return title || detail || t('errors.http', { status: error.status });
    }
    return t('errors.unexpected');
  };
}

export function ErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  const describe = useErrorMessage();
  if (!error) return null;
  return (
    <div data-testid={testId}>
      <Alert type="error" showIcon message={describe(error)} />
    </div>
  );
}
