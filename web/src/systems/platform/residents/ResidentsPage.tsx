import { Button, Card, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtDate, SEX } from '../../../app/format';
import { ScopedTable } from '../../../components/ScopedTable';
import { ResidentDrawer } from './ResidentDrawer';
import { type ResidentQuery, ResidentSearch } from './ResidentSearch';
import type { Resident as MaskedResident, ResidentPage } from '@server/systems/common/resident-index/responses.ts';
import { STATUS } from './types';

/** 居民主索引: exact look-ups, masked results, details and audited 调阅. */
export function ResidentsPage() {
  const [query, setQuery] = useState<ResidentQuery | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const { districtName } = useDistrictFilter();

  const columns: ColumnsType<MaskedResident> = [
    { title: '姓名', dataIndex: 'name', render: (v: string, r) => <Typography.Link onClick={() => setOpenId(r.id)}>{v}</Typography.Link> },
    { title: '性别', dataIndex: 'sex', render: (v: string) => SEX[v] ?? v },
    { title: '出生日期', dataIndex: 'birthDate', render: (v: string, r) => `${fmtDate(v)}${r.age != null ? `（${r.age}岁）` : ''}` },
    { title: '身份证号', dataIndex: 'idNumberMasked', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '手机号', dataIndex: 'phoneMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
    { title: '居住区', dataIndex: 'residenceDistrict', render: (v: string) => districtName(v) },
    { title: '户籍', dataIndex: 'hukouDistrict', render: (v: string | null) => (v ? districtName(v) : '外省市') },
    { title: '状态', dataIndex: 'status', render: (v: string) => <Tag color={STATUS[v]?.color}>{STATUS[v]?.text ?? v}</Tag> },
    {
      title: '操作',
      key: 'op',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setOpenId(r.id)}>
          详情
        </Button>
      ),
    },
  ];

  return (
    <Card>
      <ResidentSearch onSearch={setQuery} />
      <div style={{ marginTop: 16 }}>
        <ScopedTable<MaskedResident>
          rowKey="id"
          columns={columns}
          deps={[query]}
          enabled={query !== null}
          idleText="请选择查询方式并输入条件。为保护居民隐私，居民主索引只支持按身份证号、姓名 + 区或手机号精确查询。"
          emptyText="没有找到符合条件的居民（或该居民不在您的数据权限范围内）"
          load={(page, pageSize, signal) => api.get<ResidentPage>('/residents', { ...(query ?? {}), page, pageSize }, signal)}
        />
      </div>
      <ResidentDrawer id={openId} onClose={() => setOpenId(null)} />
    </Card>
  );
}
