import { Alert, Breadcrumb, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { CHANGE_KIND, type ConceptDetail, USE_TEXT } from './types';

/** One concept: name, status, path, designations (synonyms, English, pinyin), maps and its history. */
export function ConceptPanel({ system, code, version, onOpen }: { system: string; code: string | null; version?: string; onOpen: (code: string) => void }) {
  const c = useApi((sig) => api.get<ConceptDetail>('/terminology/concept', { system, code, version }, sig), [system, code, version], Boolean(code));
  if (!code) return <Empty description="在左侧选择或检索一个代码" />;
  if (c.error) return <ErrorAlert error={c.error} onRetry={c.reload} />;
  const d = c.data;
  if (!d) return null;
  const link = (x: { code: string; display: string }) => (
    <Typography.Link key={x.code} onClick={() => onOpen(x.code)}>
      {x.code} {x.display}
    </Typography.Link>
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="concept-panel">
      <Breadcrumb items={d.path.map((p) => ({ title: <Typography.Link onClick={() => onOpen(p.code)}>{p.code}</Typography.Link> }))} />
      <Typography.Title level={4} style={{ margin: 0 }}>
        {d.code} {d.display} {d.status === 'retired' ? <Tag color="red">已停用</Tag> : <Tag color="green">有效</Tag>}
      </Typography.Title>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="版本">{d.version}</Descriptions.Item>
        <Descriptions.Item label="上级">{d.parents.length ? <Space wrap>{d.parents.map(link)}</Space> : '（根）'}</Descriptions.Item>
        <Descriptions.Item label={`下级（${d.children.length}）`}>
          {d.children.length ? (
            <Space wrap size={[12, 4]}>
              {d.children.slice(0, 30).map(link)}
              {d.children.length > 30 ? `…共 ${d.children.length} 个` : null}
            </Space>
          ) : (
            '无'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="名称与同义词">
          <Space wrap>
            {d.designations.map((x) => (
              <Tag key={`${x.use}:${x.value}`}>
                {USE_TEXT[x.use] ?? x.use}：{x.value}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
        {Object.keys(d.properties).length ? (
          <Descriptions.Item label="属性">
            {Object.entries(d.properties).map(([k, v]) => (
              <Tag key={k}>
                {k}={String(v)}
              </Tag>
            ))}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Typography.Title level={5}>映射</Typography.Title>
      {d.maps.length ? (
        <Table
          size="small"
          rowKey={(r) => `${r.map}:${r.other}:${r.direction}`}
          pagination={false}
          dataSource={d.maps}
          columns={[
            { title: '映射', dataIndex: 'title' },
            { title: '方向', dataIndex: 'direction', render: (v: string) => (v === 'target' ? '来源代码 → 本代码' : '本代码 → 目标代码') },
            { title: '对应代码', dataIndex: 'other' },
            { title: '等价关系', dataIndex: 'equivalence' },
          ]}
        />
      ) : (
        <Alert type="info" message="没有映射到此代码的对照表" />
      )}
      <Typography.Title level={5}>变更历史</Typography.Title>
      {d.history.length ? (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.history}
          columns={[
            { title: '版本', dataIndex: 'version' },
            { title: '时间', dataIndex: 'at', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
            { title: '变更', dataIndex: 'kind', render: (v: string) => CHANGE_KIND[v] ?? v },
            { title: '起草人', dataIndex: 'author' },
            { title: '变更前', dataIndex: 'before', render: (v: unknown) => <code>{JSON.stringify(v)}</code> },
            { title: '变更后', dataIndex: 'after', render: (v: unknown) => <code>{JSON.stringify(v)}</code> },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">自首个版本发布以来未变更</Typography.Text>
      )}
    </Space>
  );
}
