import { BarChartOutlined, LogoutOutlined, MedicineBoxOutlined, SolutionOutlined, SwapOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
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

const icons: Record<MenuKey, ReactNode> = {
  persons: <SolutionOutlined />,
  movements: <SwapOutlined />,
  groups: <BarChartOutlined />,
  facilities: <MedicineBoxOutlined />,
  supervisors: <TeamOutlined />,
};

export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const jurisdiction = useUnit(me.data?.jurisdiction);
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const entries = menuForRoles(me.data?.roles);
  const items: MenuProps['items'] = entries.map((e) => ({
    key: e.key,
    icon: icons[e.key],
    label: (
      <Link to={e.path} data-testid={`menu-${e.key}`}>
        {t(e.labelKey)}
      </Link>
    ),
  }));
  const selected = entries.filter((e) => location.pathname === e.path || location.pathname.startsWith(`${e.path}/`)).map((e) => e.key);

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
      navigate('/login', { replace: true });
    } finally {
      setLoggingOut(false);
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" width={240}>
        <div className="app-brand" title={t('app.name')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {!collapsed && <span>{t('app.shortName')}</span>}
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={selected} items={items} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Text strong>{t('app.name')}</Typography.Text>
          <div className="app-header__spacer" />
          <Space size="middle" wrap={false}>
            <Space size={6}>
              <UserOutlined />
              <Typography.Text data-testid="app-user-name">{me.data?.full_name}</Typography.Text>
            </Space>
            {me.data?.jurisdiction && (
              <Tooltip title={`${t('shell.jurisdiction')}: ${me.data.jurisdiction}`}>
                <Tag color="blue" data-testid="app-jurisdiction">
                  {t('shell.jurisdictionValue', { name: jurisdiction.data ? unitLabel(jurisdiction.data) : me.data.jurisdiction })}
                </Tag>
              </Tooltip>
            )}
            <LanguageSwitch />
            <Button data-testid="logout-button" icon={<LogoutOutlined />} loading={loggingOut} onClick={() => void onLogout()}>
              {t('shell.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
