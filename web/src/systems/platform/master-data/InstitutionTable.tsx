import { Input, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../../app/api';
import { ExportButton } from '../../../components/ExportButton';
import { ScopedTable } from '../../../components/ScopedTable';
import type { Institution, InstitutionPage } from '@server/systems/common/master-data/responses.ts';
import { INSTITUTION_KINDS, levelText } from './types';

export function InstitutionTable({ district, districtName }: { district?: string; districtName(code: string): string }) {
  const [kind, setKind] = useState<string>();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<Institution[]>([]);
  const columns: ColumnsType<Institution> = [
    { title: '机构代码', dataIndex: 'code', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '名称', dataIndex: 'name' },
    { title: '类型', dataIndex: 'kind', render: (v: string) => INSTITUTION_KINDS[v] ?? v },
    { title: '等级', key: 'level', render: (_, i) => levelText(i.level, i.grade) },
    { title: '类别', dataIndex: 'category', render: (v?: string) => v ?? '—' },
    { title: '所在区', dataIndex: 'districtCode', render: (v: string, i) => i.districtName ?? districtName(v) },
    { title: '街镇', dataIndex: 'streetName', render: (v?: string | null) => v ?? '—' },
    { title: '地址', dataIndex: 'address', render: (v?: string | null) => v ?? '—', ellipsis: true },
    { title: '状态', dataIndex: 'active', render: (v?: boolean) => (v === false ? <Tag>停用</Tag> : <Tag color="green">在用</Tag>) },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search placeholder="机构名称" allowClear onSearch={setQ} style={{ width: 220 }} />
          <Select
            placeholder="全部类型"
            allowClear
            value={kind}
            onChange={setKind}
            style={{ width: 170 }}
            options={Object.entries(INSTITUTION_KINDS).map(([value, label]) => ({ value, label }))}
          />
        </Space>
        <ExportButton
          filename="医疗机构"
          rows={() => rows}
          columns={[
            { title: '机构代码', value: (i) => i.code },
            { title: '名称', value: (i) => i.name },
            { title: '类型', value: (i) => INSTITUTION_KINDS[i.kind] ?? i.kind },
            { title: '等级', value: (i) => levelText(i.level, i.grade) },
            { title: '所在区', value: (i) => districtName(i.districtCode) },
            { title: '地址', value: (i) => i.address },
          ]}
        />
      </Space>
      <ScopedTable<Institution>
        rowKey="id"
        size="small"
        columns={columns}
        deps={[district, kind, q]}
        hideScopeNote
        onLoaded={(p) => setRows(p.items)}
        load={(page, pageSize, signal) => api.get<InstitutionPage>('/institutions', { district, kind, q, page, pageSize }, signal)}
        emptyText={q || kind ? '没有符合条件的机构，请调整筛选条件' : `${district ? districtName(district) : '全市'}暂无医疗机构数据`}
      />
    </>
  );
}
