import { Card, DatePicker, Input, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { LOG_KIND, type LogEntry, logStatusText, METHOD } from './types';

const describe = (l: LogEntry) => {
  const d = l.detail as Record<string, unknown>;
  if (l.kind === 'audit') return ((d.failed as string[] | undefined) ?? []).join('；') || '全部规则通过';
  if (l.kind === 'manual') return `${String(d.note ?? '')}${Array.isArray(d.remaining) && d.remaining.length ? `（仍存在：${d.remaining.join('；')}）` : ''}`;
  const side = (x: unknown) => {
    const m = x as { method?: string; note?: string | null } | undefined;
    return m ? `${METHOD[m.method ?? 'none'] ?? m.method}${m.note ? `：${m.note}` : ''}` : '';
  };
  return `男方 ${side(d.husband)}；女方 ${side(d.wife)}`;
};

/** 核对日志: every match, audit and manual intervention, by time range and record number. */
export function LogTab() {
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [recordNo, setRecordNo] = useState('');
  const [kind, setKind] = useState<string | undefined>();
  const columns: ColumnsType<LogEntry> = [
    { title: '时间', dataIndex: 'at', render: fmtTime },
    { title: '登记证字号', dataIndex: 'recordNo' },
    { title: '环节', dataIndex: 'kind', render: (k: LogEntry['kind']) => <Tag>{LOG_KIND[k]}</Tag> },
    { title: '结果', dataIndex: 'status', render: logStatusText },
    { title: '明细', render: (_, l) => <Typography.Text>{describe(l)}</Typography.Text> },
    { title: '操作人', dataIndex: 'actor' },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <span>时间段</span>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
          <Select
            allowClear
            placeholder="环节"
            style={{ width: 120 }}
            value={kind}
            onChange={setKind}
            options={Object.entries(LOG_KIND).map(([value, label]) => ({ value, label }))}
          />
          <Input.Search placeholder="登记证字号" allowClear style={{ width: 240 }} onSearch={(v) => setRecordNo(v.trim())} />
        </Space>
      </Card>
      <ScopedTable<LogEntry>
        rowKey="id"
        columns={columns}
        deps={[kind, recordNo, range?.[0]?.valueOf(), range?.[1]?.valueOf()]}
        emptyText="所选条件下没有核对日志"
        load={(page, pageSize, signal) =>
          api.get<Page<LogEntry>>(
            '/marriage-verification/logs',
            { page, pageSize, kind, recordNo: recordNo || undefined, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') },
            signal,
          )
        }
      />
    </Space>
  );
}
