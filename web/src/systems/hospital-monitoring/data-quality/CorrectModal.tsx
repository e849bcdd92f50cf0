import { Alert, App, Button, Descriptions, Input, Modal, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import type { AnomalyDetail } from './types';

/** 数据修正: the offending field, the advice and the suggested value; the server re-checks the rule before it keeps the change. */
export function CorrectModal({ id, canCorrect, onClose, onDone }: { id: number | null; canCorrect: boolean; onClose(): void; onDone(): void }) {
  const { message } = App.useApp();
  const detail = useApi((s) => api.get<AnomalyDetail>(`/data-quality/anomalies/${id}`, undefined, s), [id], id !== null);
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const a = detail.data;
  useEffect(() => {
    setValue(a?.suggestedValue ?? '');
    setNote('');
    setError(null);
  }, [a]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/data-quality/anomalies/${id}/correct`, { value, note: note || undefined });
      message.success('已修正，待下次检查复核');
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const editable = canCorrect && a?.status === 'open';
  return (
    <Modal
      open={id !== null}
      width={720}
      title="数据质量问题"
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>关闭</Button>
          {editable && (
            <Button type="primary" loading={busy} disabled={!value.trim()} onClick={submit} data-testid="dq-correct-submit">
              提交修正
            </Button>
          )}
        </Space>
      }
    >
      {a && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="问题">{a.ruleTitle}</Descriptions.Item>
            <Descriptions.Item label="类别">
              {a.kindTitle}（{a.severityTitle}）
            </Descriptions.Item>
            <Descriptions.Item label="机构">{a.institutionName}</Descriptions.Item>
            <Descriptions.Item label="记录">
              {a.sourceTitle} {a.objectKey}
            </Descriptions.Item>
            <Descriptions.Item label="字段">{a.fieldTitle}</Descriptions.Item>
            <Descriptions.Item label="当前值">
              <Typography.Text code>{a.currentValue ?? '（空）'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="整改建议" span={2}>
              {a.suggestion}
            </Descriptions.Item>
            <Descriptions.Item label="状态">{a.statusTitle}</Descriptions.Item>
            <Descriptions.Item label="发现时间">{fmtTime(a.foundAt)}</Descriptions.Item>
          </Descriptions>
          {editable && (
            <Space wrap>
              <Input
                aria-label="修正后的值"
                style={{ width: 220 }}
                maxLength={40}
                type={a.fieldType === 'date' ? 'date' : 'text'}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                placeholder="修正后的值"
              />
              {a.suggestedValue && <Button onClick={() => setValue(a.suggestedValue ?? '')}>采用建议值 {a.suggestedValue}</Button>}
              <Input
                aria-label="修正说明"
                style={{ width: 300 }}
                maxLength={300}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder="修正说明（可选，如依据病案首页）"
              />
            </Space>
          )}
          {error && <Alert type="error" showIcon title={error} />}
          {a.corrections.length > 0 && (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={a.corrections}
              columns={[
                { title: '修正时间', dataIndex: 'at', render: (v: string) => fmtTime(v) },
                { title: '修正人', dataIndex: 'by' },
                { title: '修正前', dataIndex: 'before', render: (v: string | null) => v ?? '（空）' },
                { title: '修正后', dataIndex: 'after' },
                { title: '说明', dataIndex: 'note' },
              ]}
            />
          )}
        </Space>
      )}
    </Modal>
  );
}
