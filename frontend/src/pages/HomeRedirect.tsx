import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router-dom';
import { homePath } from '../auth/menu';
import { useMe } from '../auth/session';

export function HomeRedirect() {
  const me = useMe();
  const { t } = useTranslation();
  const home = homePath(me.data?.roles);
  if (home) return <Navigate to={home} replace />;
  return <Result status="info" title={t('auth.noMenuTitle')} subTitle={t('auth.noMenu')} />;
}
