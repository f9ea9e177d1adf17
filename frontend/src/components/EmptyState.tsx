import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';

/** What an empty list or select says, in the user's language (ConfigProvider renderEmpty). */
export function EmptyState() {
  const { t } = useTranslation();
  return (
    <div data-testid="empty-state">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
    </div>
  );
}
