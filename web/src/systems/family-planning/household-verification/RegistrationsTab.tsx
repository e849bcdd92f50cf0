import { Card, DatePicker, Input, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtDate } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import type { Registration } from '@server/systems/family-planning/household-verification/responses.ts';

export const SEX = { M: '男', F: '女', U: '未知' } as const;
export const MATCH = {
  matched: { text: '一致', color: 'green' },
  mismatch: { text: '不一致', color: 'red' },
  missing: { text: '人口库无记录', color: 'orange' },
} as const;
const METHOD = { code: '按代码', name: '按名称', manual: '人工映射' } as const;

/** 登记与分发: the 公安 registrations distributed to the user's street (district, city). */
export function RegistrationsTab() {
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [street, setStreet] = useState('');
  const [distribution, setDistribution] = useState<string | undefined>();
  const [matchStatus, setMatchStatus] = useState<string | undefined>();
  const [childIdNumber, setChildIdNumber] = useState('');
  const columns: ColumnsType<Registration> = [
    { title: '出生登记号', dataIndex: 'regNo' },
    { title: '姓名', dataIndex: 'childName' },
    { title: '性别', dataIndex: 'sex', render: (s: Registration['sex']) => SEX[s] },
    { title: '出生日期', dataIndex: 'birthDate', render: fmtDate },
    { title: '派出所', render: (_, r) => `${r.policeName}（${r.policeCode}）` },
    {
      title: '街道',
      render: (_, r) =>
        r.distribution === 'unmapped' ? (
          <Tag color="red">未映射</Tag>
        ) : (
          <span>
            {r.streetName}
            <Tag style={{ marginLeft: 4 }}>{r.mapMethod ? METHOD[r.mapMethod] : ''}</Tag>
          </span>
        ),
    },
    { title: '人口库比对', dataIndex: 'matchStatus', render: (s: Registration['matchStatus']) => <Tag color={MATCH[s].color}>{MATCH[s].text}</Tag> },
    { title: '差异', render: (_, r) => r.differences.map((d) => `${d.title}：公安「${d.police}」/人口库「${d.newborn}」`).join('；') || '—' },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <DatePicker picker="month" placeholder="登记月份" value={month} onChange={setMonth} />
          <Input.Search placeholder="街道代码（9位）" allowClear style={{ width: 200 }} onSearch={(v) => setStreet(v.trim())} />
          <Select
            allowClear
            placeholder="分发状态"
            style={{ width: 120 }}
            value={distribution}
            onChange={setDistribution}
            options={[
              { value: 'distributed', label: '已分发' },
              { value: 'unmapped', label: '未映射' },
            ]}
          />
          <Select
            allowClear
            placeholder="比对结果"
            style={{ width: 140 }}
            value={matchStatus}
            onChange={setMatchStatus}
            options={Object.entries(MATCH).map(([value, m]) => ({ value, label: m.text }))}
          />
          <Input.Search placeholder="新生儿身份证号" allowClear style={{ width: 220 }} onSearch={(v) => setChildIdNumber(v.trim())} />
        </Space>
      </Card>
      <ScopedTable<Registration>
        rowKey="id"
        columns={columns}
        deps={[month?.valueOf(), street, distribution, matchStatus, childIdNumber]}
        emptyText="数据范围内暂无公安报出生户口登记"
        load={(page, pageSize, signal) =>
          api.get<Page<Registration>>(
            '/household-verification/registrations',
            {
              page,
              pageSize,
              month: month?.format('YYYY-MM'),
              street: street || undefined,
              distribution,
              matchStatus,
              childIdNumber: childIdNumber || undefined,
            },
            signal,
          )
        }
      />
    </Space>
  );
}
