import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Input, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useAccess } from '../../../app/access';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { CaseDrawer } from './CaseDrawer';
import { UploadCaseModal } from './UploadCaseModal';
import { CONCLUSION_COLOR, type CaseStatus, type FeeCase, STATUS_COLOR, STATUS_OPTIONS } from './types';

/** 费用偏离病例核查: hospitals upload cases, experts take and conclude them, everyone in scope follows. */
export function FeeReviewPage() {
  const access = useAccess();
  const [status, setStatus] = useState<CaseStatus>();
  const [month, setMonth] = useState<string>();
  const [caseNo, setCaseNo] = useState<string>();
  const [uploading, setUploading] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  const columns: ColumnsType<FeeCase> = [
    { title: '病案号', dataIndex: 'caseNo', width: 140 },
    { title: '医疗机构', dataIndex: 'institutionName' },
    { title: '患者', dataIndex: 'patientMask', width: 90, render: (v: string | null) => v ?? '—' },
    { title: '总费用（元）', dataIndex: 'totalAmount', align: 'right', width: 120, render: (v: number | null) => v ?? '—' },
    {
      title: '章节',
      dataIndex: 'sections',
      render: (v: FeeCase['sections']) =>
        v
          .filter((s) => s.code !== 'preamble')
          .map((s) => s.title)
          .join('、') || '—',
    },
    { title: '状态', dataIndex: 'status', width: 100, render: (v: CaseStatus, r) => <Tag color={STATUS_COLOR[v]}>{r.statusTitle}</Tag> },
    {
      title: '结论',
      dataIndex: 'conclusion',
      width: 130,
      render: (v: FeeCase['conclusion'], r) => (v ? <Tag color={CONCLUSION_COLOR[v]}>{r.conclusionTitle}</Tag> : '—'),
    },
    { title: '上传时间', dataIndex: 'uploadedAt', width: 160, render: (v: string) => fmtTime(v) },
    {
      title: '操作',
      key: 'op',
      width: 80,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setOpen(r.id)}>
          {access.can('fee-review.review') && r.status !== 'concluded' ? '核查' : '查看'}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title="费用偏离病例专家核查"
      extra={
        <Space wrap>
          <Input.Search allowClear placeholder="病案号" style={{ width: 160 }} onSearch={(v) => setCaseNo(v.trim() || undefined)} />
          <DatePicker picker="month" placeholder="上传月份" onChange={(d) => setMonth(d ? d.format('YYYY-MM') : undefined)} />
          <Select allowClear placeholder="全部状态" style={{ width: 120 }} value={status} onChange={setStatus} options={STATUS_OPTIONS} />
          {access.can('fee-review.upload') && (
            <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)}>
              上传病例
            </Button>
          )}
        </Space>
      }
    >
      <ScopedTable<FeeCase>
        columns={columns}
        rowKey="id"
        deps={[status, month, caseNo]}
        reloadKey={reloadKey}
        load={(page, pageSize, signal) => api.get<Page<FeeCase>>('/fee-review/cases', { status, month, caseNo, page, pageSize }, signal)}
        emptyText={access.can('fee-review.upload') ? '暂无病例。点击“上传病例”提交费用偏离病例的 PDF 与情况说明。' : '暂无费用偏离病例。'}
      />
      <UploadCaseModal
        open={uploading}
        onClose={() => setUploading(false)}
        onUploaded={(c) => {
          setUploading(false);
          setReloadKey((k) => k + 1);
          setOpen(c.id);
        }}
      />
      <CaseDrawer id={open} onClose={() => setOpen(null)} onChanged={() => setReloadKey((k) => k + 1)} />
    </Card>
  );
}
