import { DownOutlined, EnvironmentOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Dropdown, Layout, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useDistrictFilter } from '../district-filter';
import { useSession } from '../session';
import { ChangePasswordModal } from './ChangePasswordModal';
import { NotificationBell } from './NotificationBell';

export const APP_TITLE = '卫健 · 城市卫生健康综合管理平台';

/** Title, the user's data scope (数据权限), the district switcher for city-level users, user menu. */
export function HeaderBar() {
  const { user, signOut, mustChangePassword, passwordChanged } = useSession();
  const { district, setDistrict, fixed, districts } = useDistrictFilter();
  const navigate = useNavigate();
  const [pwdOpen, setPwdOpen] = useState(false);
  if (!user) return null;

  return (
    <Layout.Header
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 16,
        paddingInline: 20,
        background: 'linear-gradient(90deg, #0b3d91 0%, #1668dc 100%)',
        position: 'sticky',
        top: 0,
        zIndex: 20,
      }}
    >
      <div className="wj-header-title" style={{ cursor: 'pointer' }} onClick={() => navigate('/')}>
        {APP_TITLE}
      </div>
      <div style={{ flex: 1 }} />
      <Space size={12} align="center">
        <Tooltip title="数据权限：您能看到的数据范围">
          <Tag color="gold" icon={<EnvironmentOutlined />} data-testid="scope-tag" style={{ marginInlineEnd: 0 }}>
            {user.scopeLabel}
          </Tag>
        </Tooltip>
        {!fixed && (
          <Select
            data-testid="district-switcher"
            style={{ width: 150 }}
            value={district ?? ''}
            onChange={(v) => setDistrict(v || undefined)}
            options={[{ value: '', label: '全市（16 区）' }, ...districts.map((d) => ({ value: d.code, label: d.name }))]}
            aria-label="区县筛选"
            showSearch={{ optionFilterProp: 'label' }}
          />
        )}
        <NotificationBell />
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              {
                key: 'who',
                label: (
                  <Typography.Text type="secondary">
                    {user.username} · {user.roleName}
                  </Typography.Text>
                ),
                disabled: true,
              },
              { type: 'divider' },
              { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
              { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
            ],
            onClick: ({ key }) => {
              if (key === 'logout') void signOut();
              if (key === 'password') setPwdOpen(true);
            },
          }}
        >
          <Space style={{ color: '#fff', cursor: 'pointer' }} data-testid="user-menu">
            <Avatar size="small" icon={<UserOutlined />} style={{ background: 'rgba(255,255,255,.25)' }} />
            <span>{user.displayName}</span>
            <span style={{ opacity: 0.8 }}>{user.roleName}</span>
            <DownOutlined style={{ fontSize: 10 }} />
          </Space>
        </Dropdown>
      </Space>
      <ChangePasswordModal
        open={pwdOpen || mustChangePassword}
        forced={mustChangePassword}
        onClose={() => {
          setPwdOpen(false);
          passwordChanged();
        }}
      />
    </Layout.Header>
  );
}
