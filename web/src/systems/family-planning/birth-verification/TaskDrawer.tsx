import type { RegionList } from '@server/systems/common/master-data/responses.ts';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { ApiError, api, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtDate, fmtTime, SEX } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { HouseholdPanel, policeDiffers, policeFill } from './HouseholdPanel';
import { CHECK_TITLE, type HouseholdPrefill, type PrefillField, STATUS_COLOR, type Task, type TaskDetail, type TaskPrefill } from './types';

type Dialog = null | 'decide' | 'assist' | 'reverify';

/** One task: source data, pre-check findings, pre-fill from the population index, history, 协查 — and the street's actions. */
export function TaskDrawer({ taskId, onClose, onChanged }: { taskId: number | null; onClose: () => void; onChanged: () => void }) {
  const access = useAccess();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const detail = useApi((s) => api.get<TaskDetail>(`/birth-verification/tasks/${taskId}`, {}, s), [taskId, tick], taskId !== null);
  const canVerify = access.can('birth-verification.verify');
  const prefill = useApi((s) => api.get<TaskPrefill>(`/birth-verification/tasks/${taskId}/prefill`, {}, s), [taskId, tick], taskId !== null && canVerify);
  const household = useApi(
    (s) => api.get<HouseholdPrefill>(`/birth-verification/tasks/${taskId}/household-prefill`, {}, s),
    [taskId, tick],
    taskId !== null && canVerify,
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  // Whether the approval form opens already filled from the 公安 registration (「采用公安信息预填」 in the drawer).
  const [withPolice, setWithPolice] = useState(false);
  const decide = (police: boolean) => {
    setWithPolice(police);
    setDialog('decide');
  };
  const changed = () => {
    setTick((k) => k + 1);
    onChanged();
  };

  const recheck = async () => {
    try {
      await api.post(`/birth-verification/tasks/${taskId}/precheck`, {});
      message.success('已重新预检');
      changed();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const t = detail.data?.task;
  return (
    <Drawer
      width={860}
      open={taskId !== null}
      onClose={onClose}
      title={t ? `核实任务 ${t.taskNo}` : '核实任务'}
      destroyOnClose
      extra={
        t &&
        canVerify && (
          <Space>
            {t.status === 'pending' && <Button onClick={recheck}>重新预检</Button>}
            {t.status === 'pending' && <Button onClick={() => setDialog('assist')}>发起协查</Button>}
            {t.status === 'pending' && (
              <Button type="primary" onClick={() => decide(false)}>
                审核
              </Button>
            )}
            {(t.status === 'approved' || t.status === 'rejected') && access.can('birth-verification.reverify') && (
              <Button danger onClick={() => setDialog('reverify')}>
                重新核实
              </Button>
            )}
          </Space>
        )
      }
    >
      {detail.error ? <ErrorAlert error={detail.error} onRetry={detail.reload} /> : null}
      {t && detail.data && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={2}
            title={
              <Space>
                市妇幼出生信息<Tag color={STATUS_COLOR[t.status]}>{t.statusTitle}</Tag>
                {t.verifyRound > 1 && <Tag color="purple">第 {t.verifyRound} 轮核实</Tag>}
              </Space>
            }
          >
            <Descriptions.Item label="出生医学证明编号">
              <span className="wj-mono">{t.certificateNo}</span>
            </Descriptions.Item>
            <Descriptions.Item label="推送日期">{fmtDate(t.sourceDate)}</Descriptions.Item>
            <Descriptions.Item label="儿童">
              {t.childName}（{SEX[t.childSex ?? 'U']}）
            </Descriptions.Item>
            <Descriptions.Item label="出生日期">{fmtDate(t.birthDate)}</Descriptions.Item>
            <Descriptions.Item label="接生机构">{t.hospital ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="出生体重">{t.birthWeight ? `${t.birthWeight} 克` : '—'}</Descriptions.Item>
            <Descriptions.Item label="申报孩次">{t.claimedBirthOrder ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="负责街道">{t.streetName ?? t.streetCode}</Descriptions.Item>
            <Descriptions.Item label="母亲">
              {t.motherName} <span className="wj-mono">{t.motherIdMasked}</span>
              {t.motherIdType !== 'resident_id' && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  {t.motherIdTypeTitle}
                </Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="父亲">
              {t.fatherName ?? '—'} <span className="wj-mono">{t.fatherIdMasked ?? ''}</span>
              {t.fatherIdTypeTitle && t.fatherIdTypeTitle !== '居民身份证' && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  {t.fatherIdTypeTitle}
                </Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="居住地址" span={2}>
              {t.address ?? '—'}
            </Descriptions.Item>
            {t.decision && (
              <Descriptions.Item label="核实结论" span={2}>
                {t.decisionTitle}（{t.decidedBy}，{fmtTime(t.decidedAt)}）{t.decisionNote ? `：${t.decisionNote}` : ''}
              </Descriptions.Item>
            )}
          </Descriptions>
          {t.result?.newborn && (
            <Alert
              type={t.result.newborn.status === 'pending_hukou' ? 'warning' : 'success'}
              showIcon
              message={`新生儿人口库建档：${t.result.newborn.statusTitle}`}
              description={t.result.newborn.message}
            />
          )}

          <div>
            <Typography.Title level={5}>
              审核预检
              {t.precheckAt ? (
                <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
                  {fmtTime(t.precheckAt)}
                </Typography.Text>
              ) : null}
            </Typography.Title>
            {t.findings.length === 0 ? (
              <Alert type="success" message="预检通过：未发现问题" />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }}>
                {t.findings.map((f) => (
                  <Alert
                    key={f.code}
                    type={f.severity === 'block' ? 'error' : 'warning'}
                    message={`${CHECK_TITLE[f.code] ?? f.code}${f.severity === 'block' ? '（需处理）' : '（提示）'}`}
                    description={f.message}
                  />
                ))}
              </Space>
            )}
          </div>

          {canVerify && prefill.data && (
            <div>
              <Typography.Title level={5}>信息预填（人口库）</Typography.Title>
              <Table<PrefillField>
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={prefill.data.fields}
                columns={[
                  { title: '项目', dataIndex: 'title' },
                  {
                    title: '预填值',
                    key: 'value',
                    render: (_, f) => (
                      <span>
                        {f.value ?? '—'} {f.differs && <Tag color="red">与市妇幼不一致</Tag>}
                      </span>
                    ),
                  },
                  { title: '来源', dataIndex: 'origin', render: (o: string) => (o === 'population' ? '人口库' : '市妇幼') },
                  { title: '市妇幼登记值', dataIndex: 'sourceValue', render: (v: string | number | null) => v ?? '—' },
                ]}
              />
              {prefill.data.birthOrderExplanation && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  孩次说明：{prefill.data.birthOrderExplanation}
                </Typography.Paragraph>
              )}
            </div>
          )}

          {canVerify && household.error ? <ErrorAlert error={household.error} onRetry={household.reload} /> : null}
          {canVerify && household.data && <HouseholdPanel data={household.data} onApply={t.status === 'pending' ? () => decide(true) : undefined} />}

          {detail.data.assists.length > 0 && (
            <div>
              <Typography.Title level={5}>协查</Typography.Title>
              {detail.data.assists.map((a) => (
                <Alert
                  key={a.id}
                  style={{ marginBottom: 8 }}
                  type={a.status === 'accepted' ? 'success' : 'info'}
                  message={`向 ${a.toStreetName ?? a.toStreet} 协查（${a.statusTitle}，第 ${a.round} 轮）：${a.question}`}
                  description={
                    a.replyNote
                      ? `反馈：${a.replyResultTitle ?? ''}；${a.replyNote}（${a.repliedBy}，${fmtTime(a.repliedAt)}）`
                      : a.handledNote
                        ? `已退回：${a.handledNote}`
                        : '等待对方街道反馈'
                  }
                />
              ))}
            </div>
          )}

          <div>
            <Typography.Title level={5}>处理历史</Typography.Title>
            <Timeline
              items={detail.data.history.map((e) => ({
                color:
                  e.action === 'reverify' || e.action === 'source_update'
                    ? 'purple'
                    : e.action === 'approve'
                      ? 'green'
                      : e.action === 'reject'
                        ? 'red'
                        : 'blue',
                children: (
                  <div>
                    <Typography.Text strong>{e.actionTitle}</Typography.Text>
                    <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                      {fmtTime(e.at)} · {e.actor} · 第 {e.verify_round} 轮
                    </Typography.Text>
                    {e.note && <div>{e.note}</div>}
                  </div>
                ),
              }))}
            />
          </div>
        </Space>
      )}
      {t && dialog === 'decide' && (
        <DecideModal
          task={t}
          prefill={prefill.data?.fields ?? []}
          household={household.data}
          startWithPolice={withPolice}
          onClose={() => setDialog(null)}
          onDone={changed}
        />
      )}
      {t && dialog === 'assist' && <AssistModal task={t} onClose={() => setDialog(null)} onDone={changed} />}
      {t && dialog === 'reverify' && <ReverifyModal task={t} onClose={() => setDialog(null)} onDone={changed} />}
    </Drawer>
  );
}

interface DecideValues {
  decision: 'confirmed' | 'corrected' | 'invalid';
  childName?: string;
  childSex?: 'M' | 'F';
  birthDate?: string;
  claimedBirthOrder?: number;
  fatherName?: string;
  note?: string;
  overrideReason?: string;
}

function DecideModal({
  task,
  prefill,
  household,
  startWithPolice,
  onClose,
  onDone,
}: {
  task: Task;
  prefill: PrefillField[];
  household: HouseholdPrefill | undefined;
  startWithPolice: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<DecideValues>();
  const [refused, setRefused] = useState<string[]>([]);
  const decision = Form.useWatch('decision', form);
  const pre = (k: string) => prefill.find((f) => f.key === k)?.value ?? undefined;
  // 采用公安信息预填: the form takes the 公安 values (a difference makes it 修正后属实); saved only on 提交.
  const police = () => ({ ...(policeDiffers(household) ? { decision: 'corrected' as const } : {}), ...policeFill(household) });
  const applyPolice = () => {
    form.setFieldsValue(police());
    message.info(policeDiffers(household) ? '已采用公安登记信息预填，核实无误后请提交' : '公安登记与本任务信息一致，无需修正');
  };
  const policeNote = (key: string) => {
    const f = household?.fields.find((x) => x.key === key);
    return f?.differs ? (
      <Typography.Text type="danger">
        公安登记：{f.policeValue ?? '—'}（本任务：{f.taskValue ?? '—'}）
      </Typography.Text>
    ) : undefined;
  };
  const submit = async () => {
    const v = await form.validateFields();
    const corrections =
      v.decision === 'corrected'
        ? Object.fromEntries(
            Object.entries({
              childName: v.childName,
              childSex: v.childSex,
              birthDate: v.birthDate,
              claimedBirthOrder: v.claimedBirthOrder,
              fatherName: v.fatherName,
            }).filter(([, x]) => x !== undefined && x !== ''),
          )
        : undefined;
    try {
      await api.post(`/birth-verification/tasks/${task.id}/decision`, {
        decision: v.decision,
        corrections,
        note: v.note || undefined,
        overrideReason: v.overrideReason || undefined,
      });
      message.success('审核结果已保存');
      onClose();
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) setRefused(e.details.map((d) => d.message));
      else message.error(errorText(e));
    }
  };
  const blocking = task.findings.filter((f) => f.severity === 'block');
  return (
    <Modal open title={`审核：${task.childName}（${task.taskNo}）`} onOk={submit} onCancel={onClose} okText="提交" cancelText="取消" width={760}>
      {household && (
        <div style={{ marginBottom: 12 }}>
          <HouseholdPanel data={household} onApply={applyPolice} compact />
        </div>
      )}
      {blocking.length > 0 && (
        <Alert type="error" style={{ marginBottom: 12 }} message="预检发现需处理的问题" description={blocking.map((f) => f.message).join('；')} />
      )}
      {refused.length > 0 && (
        <Alert
          type="error"
          style={{ marginBottom: 12 }}
          message="未通过预检，请修正或填写仍判定属实的理由"
          description={
            <ul>
              {refused.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          decision: 'confirmed',
          childName: pre('childName'),
          childSex: pre('childSex'),
          birthDate: task.birthDate,
          claimedBirthOrder: pre('claimedBirthOrder'),
          fatherName: pre('fatherName'),
          ...(startWithPolice ? police() : {}),
        }}
      >
        <Form.Item name="decision" label="核实结论" rules={[{ required: true, message: '请选择核实结论' }]}>
          <Radio.Group
            options={[
              { value: 'confirmed', label: '信息属实' },
              { value: 'corrected', label: '修正后属实' },
              { value: 'invalid', label: '信息不实' },
            ]}
          />
        </Form.Item>
        {decision === 'corrected' && (
          <>
            <Typography.Paragraph type="secondary">以下为人口库（或采用的公安登记）预填值，可按核实结果修改：</Typography.Paragraph>
            <Form.Item name="childName" label="儿童姓名" extra={policeNote('childName')}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="childSex" label="儿童性别" extra={policeNote('childSex')}>
              <Select
                options={[
                  { value: 'M', label: '男' },
                  { value: 'F', label: '女' },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="birthDate"
              label="出生日期"
              extra={policeNote('birthDate')}
              rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: '出生日期格式为 YYYY-MM-DD' }]}
            >
              <Input maxLength={10} placeholder="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item name="claimedBirthOrder" label="孩次">
              <InputNumber min={1} max={20} />
            </Form.Item>
            <Form.Item name="fatherName" label="父亲姓名" extra={policeNote('fatherName')}>
              <Input maxLength={20} />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="note"
          label="核实说明"
          rules={decision === 'invalid' ? [{ required: true, whitespace: true, message: '判定信息不实时请填写核实说明' }] : []}
        >
          <Input.TextArea rows={2} maxLength={500} showCount />
        </Form.Item>
        {decision !== 'invalid' && blocking.length > 0 && (
          <Form.Item name="overrideReason" label="仍判定属实的理由" rules={[{ required: true, whitespace: true, message: '预检有需处理的问题，请填写理由' }]}>
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function AssistModal({ task, onClose, onDone }: { task: Task; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const { districts } = useDistrictFilter();
  const [form] = Form.useForm<{ district: string; toStreetCode: string; question: string }>();
  const district = Form.useWatch('district', form);
  const streets = useApi((s) => api.get<RegionList>('/regions', { level: 'street', parent: district }, s), [district], !!district);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.post(`/birth-verification/tasks/${task.id}/assists`, { toStreetCode: v.toStreetCode, question: v.question });
      message.success('已发起协查，任务转为“协查中”');
      onClose();
      onDone();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Modal open title={`发起协查：${task.childName}（${task.taskNo}）`} onOk={submit} onCancel={onClose} okText="发起" cancelText="取消">
      <Form form={form} layout="vertical">
        <Form.Item name="district" label="协查街道所在区" rules={[{ required: true, message: '请选择区' }]}>
          <Select options={districts.map((d) => ({ value: d.code, label: d.name }))} onChange={() => form.setFieldValue('toStreetCode', undefined)} />
        </Form.Item>
        <Form.Item name="toStreetCode" label="协查街道（乡镇）" rules={[{ required: true, message: '请选择街道' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={streets.loading}
            options={(streets.data?.items ?? []).filter((s) => s.code !== task.streetCode).map((s) => ({ value: s.code, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="question" label="协查内容" rules={[{ required: true, whitespace: true, message: '请填写需要协查的内容' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="例如：该户是否实际居住在贵街道？" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReverifyModal({ task, onClose, onDone }: { task: Task; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.post(`/birth-verification/tasks/${task.id}/reverify`, { reason: v.reason });
      message.success('原任务已退回待核实（不新建任务），历史记录保留');
      onClose();
      onDone();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Modal open title={`重新核实：${task.childName}（${task.taskNo}）`} onOk={submit} onCancel={onClose} okText="退回重新核实" cancelText="取消">
      <Alert type="info" style={{ marginBottom: 12 }} message="重新核实将把本任务退回“待核实”，不会新建任务；原核实结论保留在处理历史中。" />
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label="重新核实原因" rules={[{ required: true, whitespace: true, message: '请填写重新核实的原因' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
