/** The staff shell: header (platform, department, user, language), role-filtered side menu. */
import { Suspense, useMemo, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Dropdown, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Brand } from '../components/Brand.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { Forbidden } from '../components/common.tsx';
import { NAV, PUBLIC_PORTAL_ICON, isGroup, rolesFor } from './nav.tsx';

const { Header, Sider, Content, Footer } = Layout;

export function PageSpinner() {
  return (
    <div style={{ padding: 64, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

export function AppLayout() {
  const { user, logout } = useAuth();
  const { t, tk } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo<NonNullable<MenuProps['items']>>(() => {
    if (!user) return [];
    const out: NonNullable<MenuProps['items']> = [];
    for (const e of NAV) {
      if (isGroup(e)) {
        const children = e.children
          .filter((c) => c.roles.includes(user.role))
          .map((c) => ({
            key: c.path,
            label: (
              <Link to={c.path} data-testid={c.testId}>
                {t(c.label)}
              </Link>
            ),
          }));
        if (children.length) out.push({ key: e.key, icon: e.icon, label: t(e.label), children });
      } else if (e.roles.includes(user.role)) {
        out.push({
          key: e.path,
          icon: e.icon,
          label: (
            <Link to={e.path} data-testid={e.testId}>
              {t(e.label)}
            </Link>
          ),
        });
      }
    }
    out.push({ type: 'divider' });
    out.push({
      key: 'public',
      icon: PUBLIC_PORTAL_ICON,
      label: (
        <a href="/public" target="_blank" rel="noreferrer" data-testid="nav-public">
          {t('nav.public')}
        </a>
      ),
    });
    return out;
  }, [user, t]);

  if (user === undefined) return <PageSpinner />;
  if (user === null) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  if (user.mustChangePassword) return <Navigate to="/change-password" replace />;

  const selected = '/' + (location.pathname.split('/')[1] ?? '');
  // a settings page is selected by its own entry (/settings/users, /settings/rules …)
  const selectedKey = location.pathname.startsWith('/settings/')
    ? location.pathname.split('/').slice(0, 3).join('/')
    : selected;
  const openKeys = ['directories', 'settings'];
  const allowed = rolesFor(location.pathname).includes(user.role);

  const userMenu: MenuProps['items'] = [
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="user-change-password">{t('auth.changePassword')}</span>,
      onClick: () => void navigate('/change-password'),
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('auth.logout')}</span>,
      onClick: () => {
        void logout().then(() => navigate('/login', { replace: true }));
      },
    },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '0 24px',
          background: 'linear-gradient(90deg, #0b3b8c 0%, #1456b8 100%)',
          borderBottom: '3px solid #c8161d',
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        <Link to="/" style={{ minWidth: 0 }}>
          <Brand />
        </Link>
        <Space size="middle" style={{ color: '#fff' }}>
          <LangSwitch dark />
          {user.departmentName ? (
            <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="header-department">
              {user.departmentName}
            </Tag>
          ) : (
            <Tag color="gold" style={{ marginInlineEnd: 0 }}>
              {tk('role', user.role)}
            </Tag>
          )}
          <Dropdown menu={{ items: userMenu }} trigger={['click']}>
            <Button type="text" style={{ color: '#fff' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: 'rgba(255,255,255,0.25)' }} />
              <span data-testid="header-user">{user.displayName}</span>
              <Typography.Text style={{ color: 'rgba(255,255,255,0.65)', fontSize: 12 }}>
                {tk('role', user.role)}
              </Typography.Text>
            </Button>
          </Dropdown>
        </Space>
      </Header>
      <Layout>
        <Sider
          width={224}
          theme="light"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          style={{ borderRight: '1px solid #e8e8e8' }}
        >
          <Menu
            mode="inline"
            selectedKeys={[selectedKey]}
            defaultOpenKeys={openKeys}
            items={items}
            style={{ borderInlineEnd: 0, paddingTop: 8 }}
            data-testid="main-menu"
          />
        </Sider>
        <Layout>
          <Content style={{ padding: 24, minWidth: 0 }}>
            <Suspense fallback={<PageSpinner />}>{allowed ? <Outlet /> : <Forbidden />}</Suspense>
          </Content>
          <Footer style={{ textAlign: 'center', color: '#888', fontSize: 12, padding: '12px 24px' }}>
            {t('app.footer')}
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
