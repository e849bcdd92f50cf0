import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { CardSkeleton, EmptyState, ErrorAlert } from '../../components/page-states';
import type { SystemInfo } from '@server/platform/system/responses.ts';
import { api } from '../api';
import { menuIcon, systemIcon } from '../layout/icons';
import { useMenu } from '../menu';
import { useSession } from '../session';
import { useApi } from '../use-api';

function greeting(): string {
  const h = dayjs().hour();
  return h < 6 ? '夜深了' : h < 12 ? '上午好' : h < 14 ? '中午好' : h < 18 ? '下午好' : '晚上好';
}

/** Welcome and quick links to everything in the user's menu. */
/** "pglite" / "postgres" are the server's words; people read what kind of database it is. */
function databaseName(kind: string | undefined): string {
  if (!kind) return '—';
  if (/pglite/i.test(kind)) return '内置数据库（单机）';
  if (/postgres/i.test(kind)) return 'PostgreSQL 数据库服务器';
  return '数据库服务器';
}

export function HomePage() {
  const { user } = useSession();
  const menu = useMenu();
  const navigate = useNavigate();
  const info = useApi((s) => api.get<SystemInfo>('/system/info', undefined, s), []);
  if (!user) return null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Row gutter={24} align="middle">
          <Col flex="auto">
            <Typography.Title level={1} style={{ marginTop: 0, fontSize: 24 }}>
              {greeting()}，{user.displayName}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              欢迎使用卫健 · 城市卫生健康综合管理平台。今天是 {dayjs().format('YYYY年M月D日 dddd')}。
            </Typography.Paragraph>
            <Space wrap>
              <Tag color="blue">{user.roleName}</Tag>
              <Tag color="gold">数据权限：{user.scopeLabel}</Tag>
            </Space>
          </Col>
          <Col>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'u', label: '用户名', children: user.username },
                { key: 'v', label: '版本', children: info.data ? `${info.data.version}` : '—' },
                { key: 'd', label: '数据库', children: databaseName(info.data?.database) },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Card title="快捷入口">
        <ErrorAlert error={menu.error} onRetry={menu.reload} />
        {menu.loading ? (
          <CardSkeleton />
        ) : menu.systems.length === 0 ? (
          <EmptyState description="您的角色暂未分配任何功能菜单，请联系管理员。" />
        ) : (
          <Space orientation="vertical" size={20} style={{ width: '100%' }}>
            {menu.systems.map((s) => (
              <div key={s.code}>
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  <Space>
                    {systemIcon(s.code)}
                    {s.title}
                  </Space>
                </Typography.Title>
                <Row gutter={[12, 12]}>
                  {s.items.map((i) => (
                    <Col key={i.path} xs={12} sm={8} md={6} xl={4}>
                      <Card size="small" hoverable onClick={() => navigate(i.path)} data-testid={`quick-${i.path}`}>
                        <Space>
                          <span style={{ color: '#1668dc', fontSize: 18 }}>{menuIcon(i.icon)}</span>
                          <span>{i.title}</span>
                        </Space>
                      </Card>
                    </Col>
                  ))}
                </Row>
              </div>
            ))}
          </Space>
        )}
      </Card>
    </Space>
  );
}
