import { Card, DatePicker, Input, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import type { LogEntry } from '@server/systems/family-planning/household-verification/responses.ts';

const KIND: Record<string, string> = { pull: '拉取', distribute: '分发', match: '比对', exception: '异常', mapping: '映射维护', death: '死亡注销' };
const STATUS: Record<string, string> = {
  done: '完成',
  failed: '失败',
  distributed: '已分发',
  unmapped: '未映射',
  matched: '一致',
  mismatch: '不一致',
  missing: '人口库无记录',
  rejected: '拒收',
  manual: '人工映射',
  recorded: '已登记死亡',
  already_dead: '此前已登记',
  not_found: '无此居民',
  name_mismatch: '姓名不符',
  invalid: '数据无效',
};

/** 处理日志: pulls, distribution, comparison, exceptions and 公安死亡注销, by time range and street. */
export function LogTab() {
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [street, setStreet] = useState('');
  const [kind, setKind] = useState<string | undefined>();
  const columns: ColumnsType<LogEntry> = [
    { title: '时间', dataIndex: 'at', render: fmtTime },
    { title: '环节', dataIndex: 'kind', render: (k: string) => <Tag color={k === 'exception' ? 'red' : undefined}>{KIND[k] ?? k}</Tag> },
    { title: '登记号/注销编号', dataIndex: 'regNo', render: (v: string | null) => v ?? '—' },
    { title: '街道', dataIndex: 'streetCode', render: (v: string | null) => v ?? '—' },
    { title: '结果', dataIndex: 'status', render: (v: string) => STATUS[v] ?? v },
    { title: '说明', dataIndex: 'message' },
    { title: '操作人', dataIndex: 'actor' },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <span>时间段</span>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
          <Input.Search placeholder="街道代码（9位）" allowClear style={{ width: 200 }} onSearch={(v) => setStreet(v.trim())} />
          <Select
            allowClear
            placeholder="环节"
            style={{ width: 120 }}
            value={kind}
            onChange={setKind}
            options={Object.entries(KIND).map(([value, label]) => ({ value, label }))}
          />
        </Space>
      </Card>
      <ScopedTable<LogEntry>
        rowKey="id"
        columns={columns}
        deps={[kind, street, range?.[0]?.valueOf(), range?.[1]?.valueOf()]}
        emptyText="所选条件下没有处理日志"
        load={(page, pageSize, signal) =>
          api.get<Page<LogEntry>>(
            '/household-verification/logs',
            { page, pageSize, kind, street: street || undefined, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') },
            signal,
          )
        }
      />
    </Space>
  );
}
