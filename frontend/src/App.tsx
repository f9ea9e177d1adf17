import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
// The ES builds: `antd/locale/*` are CommonJS, whose default export arrived wrapped, so
// ConfigProvider fell back to English ("No data") and the CJS copy weighed on the first load.
import enUS from 'antd/es/locale/en_US';
import viVN from 'antd/es/locale/vi_VN';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router-dom';
import { isApiError } from './api/problem';
import { AppRoutes } from './AppRoutes';
import { EmptyState } from './components/EmptyState';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        staleTime: 30_000,
        // Do not retry client errors (4xx); retry other failures once.
        retry: (failureCount, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 1,
      },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { i18n } = useTranslation();
  const locale = i18n.language?.startsWith('en') ? enUS : viVN;

  return (
    <ConfigProvider locale={locale} theme={{ token: { colorPrimary: '#0b5cad', borderRadius: 6 } }} renderEmpty={() => <EmptyState />}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
