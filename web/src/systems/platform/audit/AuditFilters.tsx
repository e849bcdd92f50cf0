import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import type { AuditLabels } from '@server/platform/audit/responses.ts';

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  kind?: string;
  objectType?: string;
  objectId?: string;
}

interface Values {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  kind?: string;
  objectType?: string;
  objectId?: string;
}

const clean = (s?: string) => s?.trim() || undefined;

export function AuditFilters({ onChange }: { onChange(q: AuditQuery): void }) {
  const [form] = Form.useForm<Values>();
  // The choices and their labels are the server's, the same it gives the listed events.
  const labels = useApi((signal) => api.get<AuditLabels>('/audit/labels', undefined, signal), []).data;
  const submit = (v: Values) =>
    onChange({
      from: v.range?.[0]?.toISOString(),
      to: v.range?.[1]?.toISOString(),
      actor: clean(v.actor),
      action: clean(v.action),
      kind: v.kind,
      objectType: clean(v.objectType),
      objectId: clean(v.objectId),
    });
  return (
    <Form form={form} layout="inline" onFinish={submit} style={{ rowGap: 12, marginBottom: 16 }} data-testid="audit-filters">
      <Form.Item name="range">
        <DatePicker.RangePicker showTime placeholder={['开始时间', '结束时间']} aria-label="时间范围" />
      </Form.Item>
      <Form.Item name="actor">
        <Input placeholder="操作人（用户名）" aria-label="操作人用户名" allowClear style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="action">
        <Select
          placeholder="动作"
          aria-label="动作"
          allowClear
          style={{ width: 200 }}
          options={labels?.actions}
          showSearch={{
            filterOption: (input, o) =>
              String(o?.label ?? '')
                .toLowerCase()
                .includes(input.toLowerCase()),
          }}
        />
      </Form.Item>
      <Form.Item name="kind">
        <Select placeholder="类别" aria-label="类别" allowClear style={{ width: 130 }} options={labels?.kinds} />
      </Form.Item>
      <Form.Item name="objectType">
        <Select placeholder="对象类型" aria-label="对象类型" allowClear style={{ width: 140 }} options={labels?.objectTypes} />
      </Form.Item>
      <Form.Item name="objectId">
        <Input placeholder="对象编号" aria-label="对象编号" allowClear style={{ width: 120 }} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          查询
        </Button>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          重置
        </Button>
      </Space>
    </Form>
  );
}
