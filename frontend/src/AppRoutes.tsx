import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router-dom';
import { App as AntApp } from 'antd';
import { PageSpinner } from './components/PageSpinner';
import { onSessionExpired } from './api/endpoints';
import { RequireAuth, RequireMenu } from './auth/guards';
import { HomeRedirect } from './pages/HomeRedirect';
import { AppShell } from './layout/AppShell';

// Every page is its own chunk: the first load carries the shell, not the forms and tables.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const PersonListPage = lazy(() => import('./pages/persons/PersonListPage'));
const PersonCreatePage = lazy(() => import('./pages/persons/PersonCreatePage'));
const PersonDetailPage = lazy(() => import('./pages/persons/PersonDetailPage'));
const PersonImportPage = lazy(() => import('./pages/persons/PersonImportPage'));
const MovementsInboxPage = lazy(() => import('./pages/MovementsInboxPage'));
const GroupsPage = lazy(() => import('./pages/GroupsPage'));
const FacilityDashboardPage = lazy(() => import('./features/treatment/FacilityDashboardPage'));
const DoseSheetPage = lazy(() => import('./features/treatment/DoseSheetPage'));
const EpisodeListPage = lazy(() => import('./features/treatment/EpisodeListPage'));
const EpisodePage = lazy(() => import('./features/treatment/EpisodePage'));
const AdmissionPage = lazy(() => import('./features/treatment/AdmissionPage'));
const FlagListPage = lazy(() => import('./features/treatment/FlagListPage'));
const SupervisorListPage = lazy(() => import('./pages/SupervisorListPage'));

export function AppRoutes() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  useEffect(
    () =>
      onSessionExpired(() => {
        void message.warning({ key: 'session-expired', content: t('auth.sessionExpired') });
      }),
    [message, t],
  );

  return (
    <Suspense fallback={<PageSpinner />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppShell />
            </RequireAuth>
          }
        >
          <Route index element={<HomeRedirect />} />
          <Route path="persons" element={<RequireMenu menu="persons" />}>
            <Route index element={<PersonListPage />} />
            <Route path="new" element={<PersonCreatePage />} />
            <Route path="import" element={<PersonImportPage />} />
            <Route path=":id" element={<PersonDetailPage />} />
          </Route>
          <Route path="movements" element={<RequireMenu menu="movements" />}>
            <Route index element={<MovementsInboxPage />} />
          </Route>
          <Route path="groups" element={<RequireMenu menu="groups" />}>
            <Route index element={<GroupsPage />} />
          </Route>
          <Route path="facilities" element={<RequireMenu menu="facilities" />}>
            <Route index element={<FacilityDashboardPage />} />
            <Route path=":id/doses" element={<DoseSheetPage />} />
          </Route>
          <Route path="episodes" element={<RequireMenu menu="episodes" />}>
            <Route index element={<EpisodeListPage />} />
            <Route path="new" element={<AdmissionPage />} />
            <Route path=":id" element={<EpisodePage />} />
          </Route>
          <Route path="flags" element={<RequireMenu menu="flags" />}>
            <Route index element={<FlagListPage />} />
          </Route>
          <Route path="supervisors" element={<RequireMenu menu="supervisors" />}>
            <Route index element={<SupervisorListPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
