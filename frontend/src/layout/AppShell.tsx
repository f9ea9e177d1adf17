import { AlertOutlined, BarChartOutlined, LogoutOutlined, ScheduleOutlined, MedicineBoxOutlined, MenuOutlined, SolutionOutlined, SwapOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Layout, Menu, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { menuForRoles, type MenuKey } from '../auth/menu';
import { useLogout, useMe } from '../auth/session';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageSpinner } from '../components/PageSpinner';
import { useUnit } from '../features/units/hooks';
import { unitLabel } from '../features/units/label';
import { useNarrow } from '../lib/useNarrow';

const icons: Record<MenuKey, ReactNode> = {
  persons: <SolutionOutlined />,
  movements: <SwapOutlined />,
  groups: <BarChartOutlined />,
  facilities: <MedicineBoxOutlined />,
  episodes: <ScheduleOutlined />,
  flags: <AlertOutlined />,
  supervisors: <TeamOutlined />,
};

function Brand({ collapsed }: { collapsed?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="app-brand" title={t('app.name')}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {!collapsed && <span>{t('app.shortName')}</span>}
    </div>
  );
}

/** Who is signed in and where: one line each, cut with an ellipsis, whole in a tooltip. */
function Identity() {
  const { t } = useTranslation();
  const me = useMe();
  const jurisdiction = useUnit(me.data?.jurisdiction);
  const unit = me.data?.jurisdiction
    ? t('shell.jurisdictionValue', { name: jurisdiction.data ? unitLabel(jurisdiction.data) : me.data.jurisdiction })
    : null;
  return (
    <div className="app-identity">
      <Tooltip title={me.data?.full_name}>
        <span className="app-identity__name" aria-label={t('shell.user')}>
          <UserOutlined />
          <Typography.Text data-testid="app-user-name" className="app-one-line">
            {me.data?.full_name}
          </Typography.Text>
        </span>
      </Tooltip>
      {unit && (
        <Tooltip title={`${t('shell.jurisdiction')}: ${unit}`}>
          <Tag color="blue" data-testid="app-jurisdiction" className="app-one-line app-identity__unit">
            {unit}
          </Tag>
        </Tooltip>
      )}
    </div>
  );
}

export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const navigate = useNavigate();
  const narrow = useNarrow();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const entries = menuForRoles(me.data?.roles);
  const items: MenuProps['items'] = entries.map((e) => ({
    key: e.key,
    icon: icons[e.key],
    label: (
      <Link to={e.path} data-testid={`menu-${e.key}`} onClick={() => setDrawerOpen(false)}>
        {t(e.labelKey)}
      </Link>
    ),
  }));
  const selected = entries.filter((e) => location.pathname === e.path || location.pathname.startsWith(`${e.path}/`)).map((e) => e.key);
  const menu = <Menu theme="dark" mode="inline" selectedKeys={selected} items={items} />;

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
      navigate('/login', { replace: true });
    } finally {
      setLoggingOut(false);
    }
  };

  const logoutButton = (
    <Button
      data-testid="logout-button"
      icon={<LogoutOutlined />}
      loading={loggingOut}
      onClick={() => void onLogout()}
      aria-label={t('shell.logout')}
      title={t('shell.logout')}
    >
      {narrow ? null : t('shell.logout')}
    </Button>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!narrow && (
        <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" width={240}>
          <Brand collapsed={collapsed} />
          {menu}
        </Layout.Sider>
      )}
      {narrow && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={260}
          closable={false}
          rootClassName="app-drawer"
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <Brand />
          {menu}
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <header className={narrow ? 'app-header app-header--narrow' : 'app-header'}>
          <div className="app-header__bar">
            {narrow && (
              <Button
                data-testid="menu-button"
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('shell.openMenu')}
                onClick={() => setDrawerOpen(true)}
              />
            )}
            <Typography.Text strong className="app-one-line app-header__title">
              {narrow ? t('app.shortName') : t('app.name')}
            </Typography.Text>
            {!narrow && <Identity />}
            <LanguageSwitch />
            {logoutButton}
          </div>
          {narrow && <Identity />}
        </header>
        <Layout.Content className="app-content">
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
