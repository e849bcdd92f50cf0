import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { useApi } from '../../../app/use-api';
import { ErrorState } from '../../../components/page-states';
import type { RefreshQueued, TagRule, TagRules } from '@server/systems/health-network/key-populations/responses.ts';

/**
 * 标签规则: each key-population tag with the rule that computes it, in words (from the shared rule
 * engine), and how many residents in the user's scope carry it; the city admin can queue a refresh.
 */
export function TagRulesPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const { district } = useDistrictFilter();
  const { data, error, loading, reload } = useApi((signal) => api.get<TagRules>('/key-populations/rules', { district }, signal), [district]);
  const refresh = async () => {
    try {
      const r = await api.post<RefreshQueued>('/key-populations/refresh', {});
      message.success(`已排队刷新任务 #${r.runId}，可在“任务调度”查看进度`);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (error) return <ErrorState error={error} onRetry={reload} />;
  const last = data?.lastRefresh;
  return (
    <Card
      title="重点人群标签规则"
      extra={
        access.can('key-populations.refresh') && (
          <Button icon={<ReloadOutlined />} onClick={refresh}>
            立即刷新标签
          </Button>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          标签每天凌晨按下列规则由数据自动计算；登记或结案慢病、残疾、孕产等信息时，该居民的标签随即重算。“变更签约年内有签约/解约权”标签变化时同步至健康云。
        </Typography.Paragraph>
        {last && (
          <Descriptions
            size="small"
            column={4}
            items={[
              { key: 'd', label: '最近计算', children: last.on_date },
              { key: 't', label: '方式', children: last.trigger === 'world' ? '初始化' : '定时任务' },
              { key: 'a', label: '新增', children: last.added },
              { key: 'r', label: '移除', children: last.removed },
            ]}
          />
        )}
        <Table<TagRule>
          rowKey="tag"
          loading={loading}
          pagination={false}
          dataSource={data?.rules ?? []}
          columns={[
            {
              title: '标签',
              dataIndex: 'title',
              width: 200,
              render: (v: string, r) => (
                <Space>
                  <Tag color={r.keyPopulation ? 'blue' : 'purple'}>{r.keyPopulation ? '重点人群' : '签约权'}</Tag>
                  {v}
                </Space>
              ),
            },
            { title: '规则', dataIndex: 'sentence', render: (v: string) => <span data-testid="kp-rule-sentence">{v}</span> },
            { title: '居民数', dataIndex: 'residents', width: 110, align: 'right', render: (v: number) => v.toLocaleString('zh-CN') },
          ]}
        />
      </Space>
    </Card>
  );
}
