import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

export function LoadMore({
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  testId,
}: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  testId: string;
}) {
  const { t } = useTranslation();
  if (!hasNextPage) return null;
  return (
    <div className="load-more">
      <Button data-testid={testId} loading={isFetchingNextPage} onClick={() => void fetchNextPage()}>
        {t('common.loadMore')}
      </Button>
    </div>
  );
}
