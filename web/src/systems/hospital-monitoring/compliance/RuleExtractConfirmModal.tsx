import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, api, applyFieldErrors, errorText } from '../../../app/api';
import { RuleExtractSentence } from './RuleExtractSentence';
import type { RuleCandidate } from './RuleExtractTypes';
import type { ComplianceRule, Preview, RuleTree } from './types';

interface Values {
  title: string;
  category: string;
  ruleJson: string;
}

type Node = { kind?: string; op?: string; value?: unknown; [k: string]: unknown };

/** The thresholds of a tree: number constants compared with something ("> 2", "> 300"). */
function thresholds(tree: unknown): { value: number; op: string }[] {
  const out: { value: number; op: string }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as Node;
    const r = o.right as Node | undefined;
    if (o.kind === 'cmp' && typeof o.op === 'string' && r?.kind === 'lit' && typeof r.value === 'number') out.push({ value: r.value, op: o.op });
    for (const v of Object.values(o)) walk(v);
  };
  walk((tree as { when?: unknown } | null)?.when);
  // The same threshold appears in the condition and in the reported value: edit each distinct one once.
  // "> 0" only says "there is one" (exclusive items): not a threshold a person tunes.
  return out.filter((t, i) => !(t.op === '>' && t.value === 0) && out.findIndex((x) => x.value === t.value && x.op === t.op) === i);
}

function setThreshold(tree: unknown, from: { value: number; op: string }, to: number): unknown {
  const walk = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(walk);
    if (!n || typeof n !== 'object') return n;
    const o = n as Node;
    const copy: Node = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
    const r = copy.right as Node | undefined;
    if (o.kind === 'cmp' && o.op === from.op && r?.kind === 'lit' && r.value === from.value) copy.right = { ...r, value: to };
    return copy;
  };
  return walk(tree);
}

/**
 * Confirm or edit one candidate: title, category and the rule tree (JSON, checked by the server). A
 * preview shows how many recent records it would flag; saving creates a disabled draft rule.
 */
export function RuleExtractConfirmModal({
  candidate,
  filename,
  extractor,
  categories,
  onClose,
  onCreated,
}: {
  candidate: RuleCandidate | null;
  filename: string;
  extractor: string;
  categories: { code: string; title: string }[];
  onClose(): void;
  onCreated(rule: ComplianceRule): void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!candidate) return;
    setPreview(null);
    setProblem(null);
    form.setFieldsValue({
      title: candidate.title,
      category: candidate.category,
      ruleJson: candidate.rule ? JSON.stringify(candidate.rule, null, 2) : JSON.stringify({ source: 'fee_line', when: null }, null, 2),
    });
  }, [candidate, form]);

  const ruleJson = Form.useWatch('ruleJson', form);
  let parsed: unknown = null;
  try {
    parsed = ruleJson ? JSON.parse(ruleJson) : null;
  } catch {
    parsed = null;
  }
  const limits = thresholds(parsed);
  const OP_TEXT: Record<string, string> = { '>': '超过', '>=': '达到', '<': '低于', '<=': '不超过', '=': '等于', '<>': '不等于' };

  const tree = (v: Values): RuleTree | null => {
    try {
      return JSON.parse(v.ruleJson) as RuleTree;
    } catch {
      form.setFields([{ name: 'ruleJson', errors: ['规则不是有效的 JSON'] }]);
      return null;
    }
  };

  const showError = (e: unknown) => {
    const rest = applyFieldErrors(form, e);
    const ruleDetails = e instanceof ApiError ? e.details.filter((d) => d.field.startsWith('rule')).map((d) => d.message) : [];
    setProblem(ruleDetails.length ? ruleDetails.join('；') : rest.length ? rest.map((d) => d.message).join('；') : errorText(e));
  };

  const runPreview = async () => {
    const v = await form.validateFields();
    const rule = tree(v);
    if (!rule) return;
    setBusy(true);
    setProblem(null);
    try {
      setPreview(await api.post<Preview>('/compliance/rules/preview', { title: v.title, rule }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    const v = await form.validateFields();
    const rule = tree(v);
    if (!rule || !candidate) return;
    setBusy(true);
    setProblem(null);
    try {
      const created = await api.post<ComplianceRule>('/compliance/rule-extract/confirm', {
        category: v.category,
        title: v.title,
        rule,
        source: { filename, sentence: candidate.sentence, extractor },
      });
      message.success(`已生成草稿规则「${created.title}」（未启用），可在监测规则管理中预览后启用`);
      onCreated(created);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={candidate !== null}
      title="确认候选规则"
      width={760}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button onClick={runPreview} loading={busy}>
            预览命中
          </Button>
          <Button type="primary" onClick={save} loading={busy}>
            生成草稿规则
          </Button>
        </Space>
      }
    >
      {candidate && (
        <>
          <Typography.Text type="secondary">来源句子：</Typography.Text>
          <RuleExtractSentence sentence={candidate.sentence} match={candidate.match} />
          {candidate.description && <Typography.Paragraph type="secondary">识别结果：{candidate.description}</Typography.Paragraph>}
          {candidate.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon title={w} style={{ marginBottom: 8 }} />
          ))}
          <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
            <Form.Item
              name="title"
              label="规则名称"
              rules={[
                { required: true, message: '请填写规则名称' },
                { max: 100, message: '不超过 100 个字' },
              ]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="category" label="监测类别" rules={[{ required: true, message: '请选择监测类别' }]}>
              <Select options={categories.map((c) => ({ value: c.code, label: c.title }))} />
            </Form.Item>
            {limits.length > 0 && (
              <Form.Item label="阈值" extra="修改后同步到下方规则条件">
                <Space wrap>
                  {limits.map((l) => (
                    <Space key={`${l.op}${l.value}`}>
                      <Typography.Text>{OP_TEXT[l.op] ?? l.op}</Typography.Text>
                      <InputNumber
                        data-testid="threshold"
                        value={l.value}
                        onChange={(v) => {
                          if (typeof v !== 'number') return;
                          form.setFieldValue('ruleJson', JSON.stringify(setThreshold(parsed, l, v), null, 2));
                          setPreview(null);
                        }}
                      />
                    </Space>
                  ))}
                </Space>
              </Form.Item>
            )}
            <Form.Item name="ruleJson" label="规则条件（表达式树，保存前由服务器校验）" rules={[{ required: true, message: '请填写规则条件' }]}>
              <Input.TextArea autoSize={{ minRows: 6, maxRows: 16 }} style={{ fontFamily: 'monospace', fontSize: 12 }} />
            </Form.Item>
          </Form>
          {problem && <Alert type="error" showIcon title={problem} />}
          {preview && (
            <Alert
              type="info"
              showIcon
              title={`近期数据${preview.window ? `（${preview.window.from} 至 ${preview.window.to}）` : ''}命中 ${preview.total} 条`}
              description={preview.sentence}
            />
          )}
        </>
      )}
    </Modal>
  );
}
