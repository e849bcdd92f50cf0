import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtDate, fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import type { Agreement, AgreementCycles } from '@server/systems/health-network/family-doctor/responses.ts';

async function pngBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** 协议书: the resident's agreements per management cycle (download = audited read), e-signature upload, regeneration. */
export function AgreementsPanel({ contractId, doctorId, active, canSign }: { contractId: number; doctorId: number; active: boolean; canSign: boolean }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { data, error, loading, reload } = useApi(
    (s) => api.get<AgreementCycles>(`/family-doctor/contracts/${contractId}/agreements`, undefined, s),
    [contractId],
  );

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await fn();
      message.success(ok);
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (loading) return <CardSkeleton rows={3} />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="fd-agreements">
      {canSign && active && (
        <Space wrap>
          <Upload
            accept=".png,image/png"
            showUploadList={false}
            beforeUpload={(f) => {
              void act(
                async () => api.put(`/family-doctor/contracts/${contractId}/resident-signature`, { imageBase64: await pngBase64(f) }),
                '居民电子签名已更新，协议书已重新生成',
              );
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy}>
              上传居民电子签名（PNG）
            </Button>
          </Upload>
          <Upload
            accept=".png,image/png"
            showUploadList={false}
            beforeUpload={(f) => {
              void act(
                async () => api.put(`/family-doctor/practitioners/${doctorId}/signature`, { imageBase64: await pngBase64(f) }),
                '医生签名已更新，该医生的协议书已重新生成',
              );
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy}>
              上传医生签名（PNG）
            </Button>
          </Upload>
          <Button
            icon={<ReloadOutlined />}
            loading={busy}
            onClick={() => act(() => api.post(`/family-doctor/contracts/${contractId}/agreements`), '协议书已重新生成')}
          >
            重新生成协议书
          </Button>
        </Space>
      )}
      {!data?.cycles.length && <Empty description="暂无协议书" />}
      {data?.cycles.map((c) => (
        <Card
          key={`${c.contractId}-${c.cycleStart}`}
          size="small"
          title={`管理周期 ${fmtDate(c.cycleStart)} 至 ${fmtDate(c.cycleEnd)}（签约编号 ${c.contractId}）`}
        >
          <Table<Agreement>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={c.agreements}
            columns={[
              { title: '版次', dataIndex: 'seq', render: (v: number) => `第 ${v} 版` },
              { title: '生成原因', dataIndex: 'reasonName' },
              { title: '模板', dataIndex: 'templateVersion', render: (v: number) => `v${v}` },
              {
                title: '签名',
                render: (_: unknown, a) => (
                  <Space size={4}>
                    <Tag color={a.hasResidentSignature ? 'green' : 'default'}>居民{a.hasResidentSignature ? '已签' : '未签'}</Tag>
                    <Tag color={a.hasDoctorSignature ? 'green' : 'default'}>医生{a.hasDoctorSignature ? '已签' : '未签'}</Tag>
                  </Space>
                ),
              },
              { title: '生成时间', dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
              { title: '操作人', dataIndex: 'createdByName', render: (v: string | null) => v ?? '—' },
              {
                title: '',
                render: (_: unknown, a) => (
                  <DownloadButton size="small" url={`/api/v1/family-doctor/agreements/${a.id}/pdf`} filename={`协议书-${a.contractId}-${a.seq}.pdf`}>
                    下载 PDF
                  </DownloadButton>
                ),
              },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}
