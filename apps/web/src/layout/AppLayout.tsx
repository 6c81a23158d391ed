/**
 * The staff shell: header (platform, department, user, language), role-filtered side menu. On a
 * wide screen the menu is a sticky side bar that scrolls on its own (its last item never hides
 * under the collapse button); on a phone it is a drawer behind the header's menu button, closed by
 * default and closed again on every navigation.
 */
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Brand } from '../components/Brand.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { Forbidden } from '../components/common.tsx';
import { NAV, PUBLIC_PORTAL_ICON, isGroup, rolesFor } from './nav.tsx';
import { useNarrow } from './useNarrow.ts';
import { OrganisationBadge } from '../pages/admin/OrganisationBadge.tsx';

const { Header, Sider, Content, Footer } = Layout;
/** The header's height (its red bottom border included): the side bar sticks right below it. */
const HEADER_HEIGHT = 64;

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
  const narrow = useNarrow();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // every navigation closes the phone menu
  useEffect(() => setDrawerOpen(false), [location.pathname, location.search]);

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

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selectedKey]}
      defaultOpenKeys={openKeys}
      items={items}
      style={{ borderInlineEnd: 0, paddingTop: 8, paddingBottom: 8 }}
      data-testid="main-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: 8,
          height: HEADER_HEIGHT,
          boxSizing: 'border-box',
          padding: narrow ? '0 8px' : '0 24px',
          background: 'linear-gradient(90deg, #0b3b8c 0%, #1456b8 100%)',
          borderBottom: '3px solid #c8161d',
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        <div style={{ display: 'flex', alignItems: 'center', gap: 4, minWidth: 0, overflow: 'hidden' }}>
          {narrow ? (
            <Button
              type="text"
              aria-label={t('nav.openMenu')}
              icon={<MenuOutlined style={{ color: '#fff', fontSize: 18 }} />}
              onClick={() => setDrawerOpen(true)}
              data-testid="nav-drawer-open"
            />
          ) : null}
          <Link to="/" style={{ minWidth: 0, overflow: 'hidden' }}>
            <Brand />
          </Link>
        </div>
        <Space size={narrow ? 'small' : 'middle'} style={{ color: '#fff', flex: 'none' }}>
          {narrow ? null : <OrganisationBadge />}
          {narrow ? null : <LangSwitch dark />}
          {narrow ? null : user.departmentName ? (
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
              {narrow ? null : (
                <Typography.Text style={{ color: 'rgba(255,255,255,0.65)', fontSize: 12 }}>
                  {tk('role', user.role)}
                </Typography.Text>
              )}
            </Button>
          </Dropdown>
        </Space>
      </Header>
      <Layout>
        {narrow ? (
          <Drawer
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            placement="left"
            size={264}
            title={user.departmentName ?? tk('role', user.role)}
            styles={{ body: { padding: 0 } }}
            data-testid="nav-drawer"
          >
            <div onClick={() => setDrawerOpen(false)}>{menu}</div>
            <div style={{ padding: '8px 24px' }}>
              <LangSwitch />
            </div>
          </Drawer>
        ) : (
          <Sider
            width={224}
            theme="light"
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            style={{
              borderRight: '1px solid #e8e8e8',
              position: 'sticky',
              top: HEADER_HEIGHT,
              height: `calc(100vh - ${HEADER_HEIGHT}px)`,
              alignSelf: 'flex-start',
            }}
          >
            {/* the menu scrolls inside the bar; the collapse button keeps its own 48 px below it */}
            <div
              style={{ height: '100%', overflowY: 'auto', overflowX: 'hidden' }}
              data-testid="main-menu-scroll"
            >
              {menu}
            </div>
          </Sider>
        )}
        <Layout style={{ minWidth: 0 }}>
          <Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
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
