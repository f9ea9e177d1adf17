import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { ErrorAlert } from '../components/ErrorAlert';
import { canAccess, type MenuKey } from './menu';
import { useHasSession, useLogout, useMe } from './session';

/** Renders children only with a session and a loaded /auth/me; otherwise goes to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const hasSession = useHasSession();
  const location = useLocation();
  const me = useMe();
  const logout = useLogout();
  const { t } = useTranslation();

  if (!hasSession) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (me.isPending) {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', height: '100%' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <Result
        status="error"
        title={t('auth.meFailed')}
        subTitle={<ErrorAlert error={me.error} />}
        extra={[
          <Button key="retry" type="primary" onClick={() => void me.refetch()}>
            {t('common.retry')}
          </Button>,
          <Button key="logout" onClick={() => void logout()}>
            {t('shell.logout')}
          </Button>,
        ]}
      />
    );
  }
  return <>{children}</>;
}

/** Route guard for a menu section: 403 page when the user's roles do not include it. */
export function RequireMenu({ menu }: { menu: MenuKey }) {
  const me = useMe();
  const { t } = useTranslation();
  if (!canAccess(me.data?.roles, menu)) {
    return <Result status="403" title="403" subTitle={t('auth.forbidden')} />;
  }
  return <Outlet />;
}
