import { HomeOutlined } from '@ant-design/icons';
import { Breadcrumb, Layout, Menu, type MenuProps, Skeleton, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../components/page-states';
import { useMenu } from '../menu';
import { HeaderBar } from './HeaderBar';
import { menuIcon, systemIcon } from './icons';

const { Sider, Content } = Layout;

/** The console shell: server-driven side menu grouped by system, header, and the page. */
export function ConsoleLayout() {
  const menu = useMenu();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo<MenuProps['items']>(
    () => [
      { key: '/', icon: <HomeOutlined />, label: '首页' },
      ...menu.systems.map((s) => ({
        key: `system:${s.code}`,
        icon: systemIcon(s.code),
        label: s.title,
        children: s.items.map((i) => ({ key: i.path, icon: menuIcon(i.icon), label: i.title })),
      })),
    ],
    [menu.systems],
  );
  const current = menu.itemFor(pathname);
  const system = current ? menu.systems.find((s) => s.items.includes(current)) : undefined;
  const selected = pathname === '/' ? '/' : (current?.path ?? '');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <HeaderBar />
      <Layout>
        <Sider
          width={224}
          theme="light"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          // Stays in view while long pages scroll. The menu scrolls inside its own box: scrolling the
          // Sider itself let the last group slide under the collapse trigger (fixed at the bottom).
          style={{ borderRight: '1px solid #f0f0f0', position: 'sticky', top: 64, height: 'calc(100vh - 64px)' }}
        >
          <div style={{ height: '100%', overflowY: 'auto' }} data-testid="side-menu-scroll">
            {menu.loading ? (
              <div style={{ padding: 16 }}>
                <Skeleton active paragraph={{ rows: 6 }} title={false} />
              </div>
            ) : (
              <Menu
                // Remount once the menu arrives so every system group starts open.
                key={menu.systems.map((s) => s.code).join(',')}
                mode="inline"
                items={items}
                selectedKeys={[selected]}
                defaultOpenKeys={menu.systems.map((s) => `system:${s.code}`)}
                onClick={({ key }) => navigate(key)}
                style={{ borderInlineEnd: 'none' }}
                data-testid="side-menu"
              />
            )}
          </div>
        </Sider>
        <Content style={{ padding: '16px 24px 32px', minWidth: 0 }}>
          {menu.error ? <ErrorAlert error={menu.error} onRetry={menu.reload} /> : null}
          {current && (
            <div style={{ marginBottom: 16 }}>
              <Breadcrumb items={[{ title: '首页', onClick: () => navigate('/'), className: 'wj-link' }, { title: system?.title }, { title: current.title }]} />
              {/* The page's one main heading (h1), at the size of a section title. */}
              <Typography.Title level={1} style={{ margin: '8px 0 0', fontSize: 20, lineHeight: 1.4 }}>
                {current.title}
              </Typography.Title>
            </div>
          )}
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
