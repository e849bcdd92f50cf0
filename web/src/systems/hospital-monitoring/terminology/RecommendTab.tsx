import { Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import type { RecommendResult } from '@server/systems/hospital-monitoring/terminology/responses.ts';

type Rec = RecommendResult['items'][number];

interface Input_ {
  text: string;
  sex?: 'M' | 'F';
  age?: number;
  dept?: string;
}

/** 编码推荐: free text (with sex, age, department) → ranked codes with scores and the reasons. */
export function RecommendTab({ system }: { system: string }) {
  const [input, setInput] = useState<Input_ | null>(null);
  const r = useApi((sig) => api.get<RecommendResult>('/terminology/recommend', { system, ...input, limit: 10 }, sig), [system, input], Boolean(input?.text));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form layout="inline" onFinish={(v: Input_) => setInput({ ...v })}>
          <Form.Item name="text" rules={[{ required: true, message: '请输入诊断或手术描述' }]}>
            <Input placeholder="如：左膝退变伴游离体；2型糖尿病伴周围神经病变" style={{ width: 380 }} data-testid="recommend-text" />
          </Form.Item>
          <Form.Item name="sex">
            <Select
              allowClear
              placeholder="性别"
              style={{ width: 90 }}
              options={[
                { value: 'M', label: '男' },
                { value: 'F', label: '女' },
              ]}
            />
          </Form.Item>
          <Form.Item name="age">
            <InputNumber min={0} max={150} placeholder="年龄" />
          </Form.Item>
          <Form.Item name="dept">
            <Input placeholder="科室" style={{ width: 120 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            推荐编码
          </Button>
        </Form>
      </Card>
      {r.error ? <ErrorAlert error={r.error} onRetry={r.reload} /> : null}
      <Table
        data-testid="recommend-table"
        size="small"
        rowKey="code"
        loading={r.loading}
        pagination={false}
        dataSource={input ? (r.data?.items ?? []) : []}
        locale={{ emptyText: '输入描述后点“推荐编码”' }}
        columns={[
          { title: '代码', dataIndex: 'code', width: 150 },
          {
            title: '名称',
            dataIndex: 'display',
            render: (v: string, x: Rec) => (
              <Space direction="vertical" size={0}>
                <span>{v}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {x.path.map((p) => p.display).join(' › ')}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '分值',
            dataIndex: 'score',
            width: 80,
            render: (v: number) => <Tag color={v > 0.7 ? 'green' : v > 0.3 ? 'gold' : 'default'}>{v.toFixed(2)}</Tag>,
          },
          { title: '理由', dataIndex: 'reasons', render: (v: string[]) => v.join('；') },
        ]}
      />
    </Space>
  );
}
