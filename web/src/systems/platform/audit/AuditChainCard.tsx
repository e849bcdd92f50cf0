import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Space, Typography } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtNumber, fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorAlert } from '../../../components/page-states';
import type { AuditStatus, VerifyResult as Verification } from '@server/platform/audit/responses.ts';

function short(hash: string | undefined): string {
  return hash ? `${hash.slice(0, 12)}…${hash.slice(-6)}` : '—';
}

function VerificationResult({ v }: { v: Verification }) {
  return v.ok ? (
    <Alert
      type="success"
      showIcon
      data-testid="verify-result"
      title="审计链完整，未发现篡改"
      description={`已校验 ${fmtNumber(v.checkedEvents)} 条事件、${fmtNumber(v.checkedCheckpoints)} 个签名检查点。`}
    />
  ) : (
    <Alert
      type="error"
      showIcon
      data-testid="verify-result"
      title={`审计链在第 ${v.firstBroken?.seq ?? '?'} 条事件处断开`}
      description={`原因：${v.firstBroken?.reason ?? '未知'}。已校验 ${fmtNumber(v.checkedEvents)} 条事件。请立即通知安全管理员。`}
    />
  );
}

/** The SM3 hash chain and SM2-signed checkpoints: where they stand, and a verify button. */
export function AuditChainCard({ onChanged }: { onChanged?: () => void }) {
  const access = useAccess();
  const { message } = App.useApp();
  const status = useApi((s) => api.get<AuditStatus>('/audit/status', undefined, s), []);
  const [verifying, setVerifying] = useState(false);
  const [checkpointing, setCheckpointing] = useState(false);
  const [result, setResult] = useState<Verification | null>(null);

  const verify = async () => {
    setVerifying(true);
    try {
      setResult(await api.post<Verification>('/audit/verify'));
      status.reload();
      onChanged?.();
    } catch (e) {
      message.error(`校验失败：${errorText(e)}`);
    } finally {
      setVerifying(false);
    }
  };
  const checkpoint = async () => {
    setCheckpointing(true);
    try {
      await api.post('/audit/checkpoints');
      message.success('已生成签名检查点');
      status.reload();
      onChanged?.();
    } catch (e) {
      message.error(`生成检查点失败：${errorText(e)}`);
    } finally {
      setCheckpointing(false);
    }
  };

  const s = status.data;
  const last = s?.lastVerification;
  return (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined />
          审计链状态
        </Space>
      }
      extra={
        access.can('audit.verify') && (
          <Space>
            <Button onClick={checkpoint} loading={checkpointing}>
              生成检查点
            </Button>
            <Button type="primary" onClick={verify} loading={verifying} data-testid="verify-chain">
              校验审计链
            </Button>
          </Space>
        )
      }
      data-testid="audit-chain"
    >
      <ErrorAlert error={status.error} onRetry={status.reload} />
      {status.loading && !s ? (
        <CardSkeleton rows={2} />
      ) : s ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              {
                key: 'head',
                label: '链头',
                children: (
                  <span>
                    第 {fmtNumber(s.head.seq)} 条 ·{' '}
                    <Typography.Text className="wj-mono" copyable={{ text: s.head.hash }}>
                      {short(s.head.hash)}
                    </Typography.Text>
                  </span>
                ),
              },
              {
                key: 'cp',
                label: '最近检查点',
                children: s.lastCheckpoint
                  ? `第 ${fmtNumber(s.lastCheckpoint.fromSeq)}–${fmtNumber(s.lastCheckpoint.toSeq)} 条 · ${fmtTime(s.lastCheckpoint.createdAt)}${s.lastCheckpoint.keyId ? ` · 密钥 ${s.lastCheckpoint.keyId}` : ''}${s.uncheckpointed ? `（其后 ${fmtNumber(s.uncheckpointed)} 条待签名）` : ''}`
                  : `尚无检查点${s.uncheckpointed ? `（${fmtNumber(s.uncheckpointed)} 条待签名）` : ''}`,
              },
              {
                key: 'ver',
                label: '最近校验',
                children: last ? (
                  <span data-testid="last-verification">
                    {last.ok ? (
                      <Typography.Text type="success">完整</Typography.Text>
                    ) : (
                      <Typography.Text type="danger">
                        断开于第 {last.firstBrokenSeq} 条（{last.reason}）
                      </Typography.Text>
                    )}
                    {` · ${fmtTime(last.ts)} · ${last.by} · ${fmtNumber(last.checkedEvents)} 条`}
                  </span>
                ) : (
                  '尚未校验'
                ),
              },
            ]}
          />
          {result && <VerificationResult v={result} />}
        </Space>
      ) : null}
    </Card>
  );
}
