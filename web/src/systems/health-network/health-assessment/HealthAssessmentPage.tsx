import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { fmtDate, fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { ScopedTable } from '../../../components/ScopedTable';
import { ErrorAlert } from '../../../components/page-states';
import type {
  Batch,
  FtpAccount,
  FtpAccountIssued,
  FtpAccounts,
  HaFile,
  UploadResult,
  UploadStats,
} from '@server/systems/health-network/health-assessment/responses.ts';

/**
 * 健康评估服务: FTP batch uploads (main path) and single uploads after the doctor's review and signature
 * (side path); 上传记录 shows every file's result and error; 统计 by upload path × report type and for
 * residents aged 65 or more; FTP 账号 issued per community centre.
 */
const NAMING = '<身份证号>_<报告类型 HA/PE>_<报告日期 YYYYMMDD>_<签名医生编号>.pdf';

function Files({ reloadKey }: { reloadKey: number }) {
  const [status, setStatus] = useState<string>();
  const [channel, setChannel] = useState<string>();
  const columns: ColumnsType<HaFile> = [
    { title: '结果', dataIndex: 'status', render: (v: string) => (v === 'archived' ? <Tag color="green">已归档</Tag> : <Tag color="red">未通过</Tag>) },
    { title: '错误原因', dataIndex: 'error', render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—') },
    { title: '文件名', dataIndex: 'fileName', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '途径', dataIndex: 'channelName' },
    { title: '批次', dataIndex: 'batchId' },
    { title: '居民', key: 'p', render: (_, f) => (f.personName ? `${f.personName} ${f.idNumberMasked ?? ''}` : '—') },
    { title: '报告', key: 'r', render: (_, f) => (f.reportTypeName ? `${f.reportTypeName} ${fmtDate(f.reportDate)}` : '—') },
    { title: '审核签名医生', dataIndex: 'signedByName', render: (v: string | null) => v ?? '—' },
    { title: '关联签约', dataIndex: 'contractId', render: (v: number | null) => (v ? `#${v}` : '—') },
    { title: '上传人 / 时间', key: 'u', render: (_, f) => `${f.uploadedBy} ${fmtTime(f.uploadedAt)}` },
    {
      title: '报告',
      key: 'op',
      render: (_, f) =>
        f.status === 'archived' ? (
          <DownloadButton size="small" type="link" url={`/api/v1/health-assessment/files/${f.id}/content`} filename={f.fileName}>
            查看 PDF
          </DownloadButton>
        ) : null,
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="全部结果"
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          options={[
            { value: 'archived', label: '已归档' },
            { value: 'rejected', label: '未通过' },
          ]}
        />
        <Select
          allowClear
          placeholder="全部途径"
          value={channel}
          onChange={setChannel}
          style={{ width: 160 }}
          options={[
            { value: 'ftp', label: 'FTP 批量上传' },
            { value: 'web', label: '页面单份上传' },
          ]}
        />
      </Space>
      <ScopedTable<HaFile>
        rowKey="id"
        columns={columns}
        deps={[status, channel]}
        reloadKey={reloadKey}
        emptyText="没有上传记录"
        load={(page, pageSize, signal) => api.get<Page<HaFile>>('/health-assessment/files', { status, channel, page, pageSize }, signal)}
      />
    </>
  );
}

function Batches({ reloadKey }: { reloadKey: number }) {
  const columns: ColumnsType<Batch> = [
    { title: '批次', dataIndex: 'id' },
    { title: '途径', dataIndex: 'channelName' },
    { title: '机构', dataIndex: 'institutionName' },
    { title: '上传人', dataIndex: 'uploadedBy' },
    { title: '开始时间', dataIndex: 'startedAt', render: (v: string) => fmtTime(v) },
    { title: '文件数', dataIndex: 'filesTotal' },
    { title: '已归档', dataIndex: 'filesArchived', render: (v: number) => <Tag color="green">{v}</Tag> },
    { title: '未通过', dataIndex: 'filesRejected', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0) },
  ];
  return (
    <ScopedTable<Batch>
      rowKey="id"
      columns={columns}
      deps={[]}
      reloadKey={reloadKey}
      emptyText="没有上传批次"
      load={(page, pageSize, signal) => api.get<Page<Batch>>('/health-assessment/batches', { page, pageSize }, signal)}
    />
  );
}

function Stats({ reloadKey }: { reloadKey: number }) {
  const s = useApi((signal) => api.get<UploadStats>('/health-assessment/stats', undefined, signal), [reloadKey]);
  if (s.error) return <ErrorAlert error={s.error} onRetry={s.reload} />;
  const rows = (s.data?.cells ?? []).map((c) => ({
    ...c,
    key: `${c.channel}-${c.reportType}`,
    channelName: c.channel === 'ftp' ? 'FTP 批量上传' : '页面单份上传',
  }));
  return (
    <>
      <Typography.Paragraph type="secondary">
        统计期间：{s.data ? `${s.data.from} 至 ${s.data.to}` : '…'}；文件名无法识别的未通过文件：FTP {s.data?.unreadable.ftp ?? 0} 个，页面{' '}
        {s.data?.unreadable.web ?? 0} 个。
      </Typography.Paragraph>
      <Table
        size="small"
        loading={s.loading}
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '上传途径', dataIndex: 'channelName' },
          { title: '报告类型', dataIndex: 'reportTypeName' },
          { title: '已归档', dataIndex: 'archived' },
          { title: '未通过', dataIndex: 'rejected' },
          { title: '涉及居民', dataIndex: 'residents' },
          { title: '65 岁及以上 已归档', dataIndex: 'elderlyArchived' },
          { title: '65 岁及以上 居民', dataIndex: 'elderlyResidents' },
        ]}
      />
    </>
  );
}

function Accounts() {
  const { message, modal } = App.useApp();
  const { user } = useSession();
  const [institutionId, setInstitutionId] = useState<number | null>(user?.scope.institutionId ?? null);
  const [key, setKey] = useState(0);
  const list = useApi((signal) => api.get<FtpAccounts>('/health-assessment/ftp-accounts', undefined, signal), [key]);
  const issue = async () => {
    try {
      const r = await api.post<FtpAccountIssued>('/health-assessment/ftp-accounts', { institutionId });
      modal.success({
        title: 'FTP 账号已发放',
        content: (
          <div>
            <p>
              地址：ftp://{r.host}:{r.port ?? '（未启用）'}
            </p>
            <p>
              用户名：<Typography.Text copyable>{r.username}</Typography.Text>
            </p>
            <p>
              密码：
              <Typography.Text copyable code>
                {r.password}
              </Typography.Text>
            </p>
            <Alert type="warning" showIcon message="密码仅显示这一次，请转交社区卫生服务中心妥善保管。" />
          </div>
        ),
      });
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const disable = async (a: FtpAccount) => {
    try {
      await api.post(`/health-assessment/ftp-accounts/${a.id}/disable`);
      message.success('已停用');
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message={`FTP 服务：${list.data?.port ? `ftp://${list.data.host}:${list.data.port}` : '未启用（请系统管理员在服务器配置中开启 FTP 接收）'}；文件命名：${NAMING}`}
      />
      <Space>
        <InputNumber placeholder="社区卫生服务中心编号" value={institutionId} onChange={(v) => setInstitutionId(v)} style={{ width: 220 }} min={1} />
        <Button type="primary" disabled={!institutionId} onClick={issue}>
          发放 / 重置账号
        </Button>
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<FtpAccount>
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        columns={[
          { title: '机构', dataIndex: 'institutionName' },
          { title: '用户名', dataIndex: 'username', render: (v: string) => <span className="wj-mono">{v}</span> },
          { title: '状态', dataIndex: 'active', render: (v: boolean) => (v ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
          { title: '发放人 / 时间', key: 'i', render: (_, a) => `${a.issuedBy ?? ''} ${fmtTime(a.issuedAt)}` },
          { title: '最近登录', dataIndex: 'lastLoginAt', render: (v: string | null) => fmtTime(v) },
          {
            title: '操作',
            key: 'op',
            fixed: 'right',
            render: (_, a) =>
              a.active ? (
                <Button size="small" type="link" danger onClick={() => disable(a)}>
                  停用
                </Button>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}

function UploadModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { message } = App.useApp();
  const { user } = useSession();
  const [form] = Form.useForm();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ status: string; error: string | null } | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    if (!file) return message.error('请选择 PDF 文件');
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const r = await api.post<UploadResult>('/health-assessment/uploads', {
        fileName: file.name,
        contentBase64: btoa(bin),
        signedBy: v.signedBy,
        reviewed: v.reviewed === true,
        ...(v.institutionId ? { institutionId: v.institutionId } : {}),
      });
      setResult(r);
      if (r.status === 'archived') message.success('报告已归档并关联居民签约');
      onDone();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest.length || !(e instanceof Error && 'details' in e)) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title="单份上传（医生审核签名后）" onCancel={onClose} onOk={submit} okText="上传" confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ signedBy: user?.scope.practitionerId ?? undefined }}>
        <Form.Item label={`PDF 文件（命名：${NAMING}）`} required>
          <input
            type="file"
            accept=".pdf,application/pdf"
            data-testid="ha-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setResult(null);
            }}
          />
        </Form.Item>
        <Form.Item name="signedBy" label="审核签名医生编号" rules={[{ required: true, message: '请填写审核签名医生编号' }]}>
          <InputNumber min={1} style={{ width: '100%' }} disabled={user?.scope.level === 'own'} />
        </Form.Item>
        {!user?.scope.institutionId ? (
          <Form.Item name="institutionId" label="上传机构（社区卫生服务中心编号）" rules={[{ required: true, message: '请填写上传机构' }]}>
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reviewed"
          valuePropName="checked"
          rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('须先审核并签名'))) }]}
        >
          <Checkbox>签名医生已审核报告内容并签名</Checkbox>
        </Form.Item>
        {result ? (
          <Alert
            type={result.status === 'archived' ? 'success' : 'error'}
            showIcon
            message={result.status === 'archived' ? '已归档' : `未通过：${result.error}`}
          />
        ) : null}
      </Form>
    </Modal>
  );
}

export function HealthAssessmentPage() {
  const access = useAccess();
  const [uploadOpen, setUploadOpen] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey((k) => k + 1);
  const items = [
    { key: 'files', label: '上传记录', children: <Files reloadKey={reloadKey} /> },
    { key: 'batches', label: '上传批次', children: <Batches reloadKey={reloadKey} /> },
    { key: 'stats', label: '统计', children: <Stats reloadKey={reloadKey} /> },
    ...(access.can('health-assessment.ftp.manage') ? [{ key: 'accounts', label: 'FTP 账号', children: <Accounts /> }] : []),
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="健康评估服务"
        extra={
          access.can('health-assessment.upload') ? (
            <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploadOpen(true)} data-testid="ha-upload">
              单份上传
            </Button>
          ) : null
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          社区卫生服务中心通过 FTP 批量上传经医生审核签名的健康评估报告和老年人体检报告（主途径），也可在此单份上传。文件命名：
          <Typography.Text code>{NAMING}</Typography.Text>。合格文件归档并关联居民签约（弹性续约条件③④），不合格文件记录原因。
        </Typography.Paragraph>
        <Input type="hidden" />
      </Card>
      <Card>
        <Tabs items={items} />
      </Card>
      <UploadModal open={uploadOpen} onClose={() => setUploadOpen(false)} onDone={reload} />
    </Space>
  );
}
