import { App, Button, Card, Form, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import type { OrgMapping, UnmappedCode, OrgMap, MappingSaved } from '@server/systems/family-planning/household-verification/responses.ts';

/** 代码映射: 公安 codes nobody could map (exceptions) and the maintained manual mapping table. */
export function MappingTab() {
  const access = useAccess();
  const { message } = App.useApp();
  const [k, setK] = useState(0);
  const data = useApi((s) => api.get<OrgMap>('/household-verification/org-map', {}, s), [k]);
  const [form] = Form.useForm<{ policeCode: string; streetCode: string }>();
  const save = async () => {
    const v = await form.validateFields();
    try {
      const r = await api.put<MappingSaved>(`/household-verification/org-map/${v.policeCode.trim()}`, { streetCode: v.streetCode.trim() });
      message.success(`映射已保存，已分发待映射登记 ${r.distributed} 条`);
      form.resetFields();
      setK((x) => x + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {data.error ? <ErrorAlert error={data.error} onRetry={data.reload} /> : null}
      <Card size="small" title="待映射的公安机关代码（异常）">
        <Table<UnmappedCode>
          size="small"
          rowKey="policeCode"
          loading={data.loading}
          pagination={false}
          dataSource={data.data?.unmapped ?? []}
          locale={{ emptyText: '没有待映射的代码' }}
          columns={[
            { title: '公安机关代码', dataIndex: 'policeCode' },
            { title: '名称', dataIndex: 'policeName' },
            { title: '待分发登记', dataIndex: 'registrations' },
            ...(access.can('household-verification.map')
              ? [
                  {
                    title: '操作',
                    render: (_: unknown, u: UnmappedCode) => (
                      <Button size="small" onClick={() => form.setFieldsValue({ policeCode: u.policeCode })}>
                        映射
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {access.can('household-verification.map') && (
        <Card size="small" title="人工映射">
          <Form form={form} layout="inline">
            <Form.Item name="policeCode" label="公安机关代码" rules={[{ required: true, pattern: /^31\d{10}$/, message: '应为 31 开头的 12 位数字' }]}>
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="streetCode" label="街道代码" rules={[{ required: true, pattern: /^3101\d{5}$/, message: '应为 9 位街道代码' }]}>
              <Input style={{ width: 140 }} />
            </Form.Item>
            <Button type="primary" onClick={save}>
              保存映射
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title="映射表">
        <Table<OrgMapping>
          size="small"
          rowKey="policeCode"
          loading={data.loading}
          dataSource={data.data?.mappings ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '尚无人工维护的映射（按代码、名称自动对应的不在此列）' }}
          columns={[
            { title: '公安机关代码', dataIndex: 'policeCode' },
            { title: '名称', dataIndex: 'policeName' },
            { title: '街道', render: (_, m) => `${m.streetName ?? ''}（${m.streetCode}）` },
            { title: '方式', dataIndex: 'method', render: (x: OrgMapping['method']) => <Tag>{x === 'manual' ? '人工' : x === 'code' ? '代码' : '名称'}</Tag> },
            { title: '维护人', dataIndex: 'updatedBy' },
            { title: '更新时间', dataIndex: 'updatedAt', render: fmtTime },
          ]}
        />
      </Card>
    </Space>
  );
}
