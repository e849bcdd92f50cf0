import { CheckCircleOutlined, DownOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Dropdown, Input, Select, Space, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useSession } from '../../../app/session';
import type { ManagedUser, ManagedUserPage } from '@server/platform/auth/responses.ts';
import { useApi } from '../../../app/use-api';
import { ExportButton } from '../../../components/ExportButton';
import { ScopedTable } from '../../../components/ScopedTable';
import { ResetPasswordModal } from './ResetPasswordModal';
import type { RolesInfo } from './types';
import { UserFormModal } from './UserFormModal';

function statusTag(u: ManagedUser) {
  if (u.disabled) return <Tag color="default">已停用</Tag>;
  if (u.lockedUntil && new Date(u.lockedUntil) > new Date()) {
    return (
      <Tooltip title={`锁定至 ${fmtTime(u.lockedUntil)}`}>
        <Tag color="orange">已锁定</Tag>
      </Tooltip>
    );
  }
  return <Tag color="green">正常</Tag>;
}

/** 用户与角色: staff accounts within the administrator's own data scope. */
export function UsersPage() {
  const access = useAccess();
  const { user: me } = useSession();
  const { modal, message } = App.useApp();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<ManagedUser | null>(null);
  const [resetting, setResetting] = useState<ManagedUser | null>(null);
  const [rows, setRows] = useState<ManagedUser[]>([]);
  const roles = useApi((s) => api.get<RolesInfo>('/system/roles', undefined, s), []);
  const canManage = access.can('auth.users.manage');

  // Row actions only for accounts inside the administrator's own district, and never on oneself.
  const canManageRow = (u: ManagedUser) =>
    canManage && u.id !== me?.id && (me?.scope.level === 'city' || (!!me?.scope.districtCode && u.scope.districtCode === me.scope.districtCode));

  const act = (u: ManagedUser, title: string, content: string, path: string, done: string, danger = false) =>
    modal.confirm({
      title,
      content,
      okText: '确认',
      okButtonProps: { danger },
      onOk: async () => {
        try {
          await api.post(`/users/${u.id}/${path}`);
          message.success(done);
          setReloadKey((k) => k + 1);
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const columns: ColumnsType<ManagedUser> = [
    { title: '用户名', dataIndex: 'username', fixed: 'left', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '姓名', dataIndex: 'displayName' },
    { title: '角色', dataIndex: 'roleName', render: (v: string, u) => <Tag color="blue">{v || u.role}</Tag> },
    { title: '数据权限', dataIndex: 'scopeLabel' },
    { title: '状态', key: 'status', render: (_, u) => statusTag(u) },
    { title: '动态口令', dataIndex: 'totpEnabled', render: (v: boolean) => (v ? <Tag color="cyan">已绑定</Tag> : <Tag>未绑定</Tag>) },
    { title: '最近登录', dataIndex: 'lastLoginAt', render: fmtTime },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_, u) =>
        canManageRow(u) ? (
          <Space size={4}>
            <Button
              type="link"
              size="small"
              icon={<EditOutlined />}
              onClick={() => {
                setEditing(u);
                setFormOpen(true);
              }}
            >
              编辑
            </Button>
            <Dropdown
              menu={{
                items: [
                  { key: '2fa', label: '重置动态口令' },
                  { key: 'pwd', label: '重置密码' },
                  // Lifts the account lock and every address's sign-in lock and delay (a user locked out at one address).
                  { key: 'unlock', label: '解除登录锁定' },
                  u.disabled
                    ? { key: 'enable', label: '启用账号', icon: <CheckCircleOutlined /> }
                    : { key: 'disable', label: '停用账号', icon: <StopOutlined />, danger: true },
                ],
                onClick: ({ key }) => {
                  if (key === '2fa')
                    act(u, '重置动态口令', `重置后「${u.displayName}」下次登录须重新绑定动态口令。确定重置吗？`, 'reset-2fa', '已重置动态口令');
                  if (key === 'pwd') setResetting(u);
                  if (key === 'unlock')
                    act(u, '解除登录锁定', `解除「${u.displayName}」的账号锁定以及各登录地址的失败锁定与延时。确定解除吗？`, 'unlock', '已解除登录锁定');
                  if (key === 'disable')
                    act(u, '停用账号', `停用后「${u.displayName}」将立即退出所有会话且无法登录。确定停用吗？`, 'disable', '账号已停用', true);
                  if (key === 'enable') act(u, '启用账号', `确定启用「${u.displayName}」的账号吗？`, 'enable', '账号已启用');
                },
              }}
            >
              <Button type="link" size="small">
                更多 <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        ) : (
          <span style={{ color: '#bbb' }}>—</span>
        ),
    },
  ];

  return (
    <Card>
      <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search placeholder="用户名或姓名" allowClear onSearch={setQ} style={{ width: 240 }} data-testid="user-search" />
          <Select
            placeholder="全部角色"
            allowClear
            style={{ width: 160 }}
            value={role}
            onChange={setRole}
            loading={roles.loading}
            options={roles.data?.roles.map((r) => ({ value: r.code, label: r.name }))}
          />
        </Space>
        <Space>
          <ExportButton
            filename="用户列表"
            rows={() => rows}
            columns={[
              { title: '用户名', value: (u) => u.username },
              { title: '姓名', value: (u) => u.displayName },
              { title: '角色', value: (u) => u.roleName },
              { title: '数据权限', value: (u) => u.scopeLabel },
              { title: '状态', value: (u) => (u.disabled ? '已停用' : '正常') },
              { title: '最近登录', value: (u) => fmtTime(u.lastLoginAt) },
            ]}
          />
          {canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setFormOpen(true);
              }}
              data-testid="user-create"
            >
              新建用户
            </Button>
          )}
        </Space>
      </Space>
      <ScopedTable<ManagedUser>
        rowKey="id"
        columns={columns}
        deps={[q, role]}
        reloadKey={reloadKey}
        load={(page, pageSize, signal) => api.get<ManagedUserPage>('/users', { q, role, page, pageSize }, signal)}
        onLoaded={(p) => setRows(p.items)}
        emptyText={q || role ? '没有符合条件的用户，请调整搜索条件' : '您的数据权限范围内还没有用户，可点击“新建用户”添加'}
      />
      <UserFormModal
        open={formOpen}
        editing={editing}
        roles={roles.data}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          setReloadKey((k) => k + 1);
        }}
      />
      <ResetPasswordModal target={resetting} onClose={() => setResetting(null)} />
    </Card>
  );
}
