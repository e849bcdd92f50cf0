import { App, Button, Descriptions, Drawer, Form, Input, Radio, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import { ACTION_TITLE, DISPOSAL_STATUS_COLOR, type DisposalAction, type DisposalDetail, EVALUATION_TITLE } from './types';

interface ActionValues {
  note?: string;
  text?: string;
  attachments?: string;
  content?: string;
  result?: string;
}

/** "名称 | 链接" per line → [{ name, url? }]. */
function parseAttachments(text: string | undefined): { name: string; url?: string }[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name = '', url] = l.split('|').map((x) => x.trim());
      return url ? { name, url } : { name };
    });
}

function bodyOf(action: DisposalAction, v: ActionValues): object {
  if (action === 'explain') return { text: v.text?.trim() ?? '', attachments: parseAttachments(v.attachments) };
  if (action === 'evaluate') return { content: v.content?.trim() ?? '', result: v.result };
  return v.note?.trim() ? { note: v.note.trim() } : {};
}

/** One order: what it covers, its timeline, and the one action the caller's role may take now. */
export function DisposalDrawer({ id, onClose, onChanged }: { id: number | null; onClose(): void; onChanged(): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  const [saving, setSaving] = useState(false);
  const [tick, setTick] = useState(0);
  const { data, error, loading, reload } = useApi((s) => api.get<DisposalDetail>(`/compliance/disposals/${id}`, undefined, s), [id, tick], id !== null);
  const action = data?.actions[0];

  const submit = async () => {
    if (!data || !action) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.post(`/compliance/disposals/${data.id}/${action}`, bodyOf(action, v));
      message.success(`已${ACTION_TITLE[action]}`);
      form.resetFields();
      setTick((k) => k + 1);
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer open={id !== null} onClose={onClose} size={760} title={data ? `处置单 #${data.id} · ${data.title}` : '处置单'} destroyOnHidden>
      {loading && <CardSkeleton />}
      {error ? <ErrorState error={error} onRetry={reload} /> : null}
      {data && !loading && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="状态">
              <Tag color={DISPOSAL_STATUS_COLOR[data.status]}>{data.statusTitle}</Tag>
              {data.overdue && <Tag color="error">已逾期</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="处置期限">{data.overdue ? <Typography.Text type="danger">{data.dueOn}</Typography.Text> : data.dueOn}</Descriptions.Item>
            <Descriptions.Item label="机构">{data.institution}</Descriptions.Item>
            <Descriptions.Item label="生成人">{`${data.createdBy} · ${fmtTime(data.createdAt)}`}</Descriptions.Item>
            {data.explanation && (
              <Descriptions.Item label="医院说明" span={2}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{data.explanation}</Typography.Paragraph>
                {data.attachments.map((a) => (
                  <div key={`${a.name}${a.url ?? ''}`}>
                    附件：
                    {a.url ? (
                      <a href={a.url} target="_blank" rel="noreferrer">
                        {a.name}
                      </a>
                    ) : (
                      a.name
                    )}
                  </div>
                ))}
                <Typography.Text type="secondary">{`${data.explainedBy} · ${fmtTime(data.explainedAt)}`}</Typography.Text>
              </Descriptions.Item>
            )}
            {data.evaluation && (
              <Descriptions.Item label="专家评价" span={2}>
                <Tag>{EVALUATION_TITLE[data.evaluationResult ?? ''] ?? data.evaluationResult}</Tag>
                {data.evaluation}
                <div>
                  <Typography.Text type="secondary">{`${data.evaluatedBy} · ${fmtTime(data.evaluatedAt)}`}</Typography.Text>
                </div>
              </Descriptions.Item>
            )}
          </Descriptions>

          <Typography.Title level={5}>涉及病例（{data.findings.length}）</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={data.findings}
            columns={[
              { title: '日期', dataIndex: 'foundOn' },
              { title: '命中规则', dataIndex: 'ruleTitle' },
              { title: '患者', dataIndex: 'patient', render: (v: string | null) => v ?? '—' },
              { title: '项目', dataIndex: 'items', render: (v: string | null) => v ?? '—' },
              { title: '金额', dataIndex: 'amount', align: 'right', render: (v: number | null) => (v === null ? '—' : `¥${Number(v).toFixed(2)}`) },
            ]}
          />

          <Typography.Title level={5}>处置时间线</Typography.Title>
          <Timeline
            items={data.timeline.map((e) => ({
              key: e.id,
              color: e.action === 'close' ? 'green' : 'blue',
              children: (
                <>
                  <Typography.Text strong>{ACTION_TITLE[e.action] ?? e.action}</Typography.Text>
                  {` · ${e.actorName ?? e.actor} · ${fmtTime(e.at)}`}
                  {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                </>
              ),
            }))}
          />

          {action && (
            <>
              <Typography.Title level={5}>{ACTION_TITLE[action]}</Typography.Title>
              <Form form={form} layout="vertical">
                {action === 'explain' && (
                  <>
                    <Form.Item name="text" label="说明" rules={[{ required: true, whitespace: true, message: '请填写说明' }, { max: 5000 }]}>
                      <Input.TextArea rows={4} />
                    </Form.Item>
                    <Form.Item name="attachments" label="附件（每行一个：名称 | 链接，链接可省略）">
                      <Input.TextArea rows={2} placeholder="退费凭证.pdf | https://…" />
                    </Form.Item>
                  </>
                )}
                {action === 'evaluate' && (
                  <>
                    <Form.Item name="result" label="评价结果" rules={[{ required: true, message: '请选择评价结果' }]}>
                      <Radio.Group options={Object.entries(EVALUATION_TITLE).map(([value, label]) => ({ value, label }))} />
                    </Form.Item>
                    <Form.Item name="content" label="评价意见" rules={[{ required: true, whitespace: true, message: '请填写评价意见' }, { max: 5000 }]}>
                      <Input.TextArea rows={4} />
                    </Form.Item>
                  </>
                )}
                {(action === 'dispatch' || action === 'close') && (
                  <Form.Item name="note" label="备注" rules={[{ max: action === 'close' ? 1000 : 500 }]}>
                    <Input.TextArea rows={2} />
                  </Form.Item>
                )}
                <Button type="primary" loading={saving} onClick={submit}>
                  {action === 'close' ? '审核并归档' : ACTION_TITLE[action]}
                </Button>
              </Form>
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
