import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorAlert } from '../../../components/page-states';
import type { Dimension, SectionDef } from './types';

const CODE_RULE = { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: '代码为小写字母开头的字母、数字、下划线（2-40 位）' };

/** An ordered list editor for the check dimensions or the recognised sections (order = list order). */
function ListEditor<T extends { code: string; title: string; active: boolean }>({
  title,
  url,
  hint,
  withAliases,
}: {
  title: string;
  url: string;
  hint: string;
  withAliases?: boolean;
}) {
  const { message } = App.useApp();
  const list = useApi((s) => api.get<T[]>(url, undefined, s), [url]);
  const [form] = Form.useForm<{ items: { code: string; title: string; description?: string; aliases?: string[] }[] }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (list.data)
      form.setFieldsValue({
        items: list.data.filter((x) => x.active).map((x) => ({ ...x, description: (x as unknown as Dimension).description ?? undefined })) as never,
      });
  }, [list.data, form]);

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.put(url, {
        items: v.items.map((x) =>
          withAliases ? { code: x.code, title: x.title, aliases: x.aliases ?? [] } : { code: x.code, title: x.title, description: x.description || undefined },
        ),
      });
      message.success('已保存');
      list.reload();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      message.error(rest[0]?.message ?? errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const inactive = (list.data ?? []).filter((x) => !x.active);
  return (
    <Card
      title={title}
      extra={
        <Button type="primary" loading={busy} onClick={save}>
          保存
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {!list.data && !list.error ? (
        <CardSkeleton />
      ) : (
        <Form form={form}>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Typography.Text type="secondary" style={{ width: 24, display: 'inline-block', paddingTop: 5 }}>
                      {i + 1}
                    </Typography.Text>
                    <Form.Item name={[f.name, 'code']} rules={[{ required: true, message: '请填写代码' }, CODE_RULE]}>
                      <Input placeholder="代码" style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'title']} rules={[{ required: true, message: '请填写名称' }]}>
                      <Input placeholder="名称" style={{ width: 160 }} maxLength={40} />
                    </Form.Item>
                    {withAliases ? (
                      <Form.Item name={[f.name, 'aliases']}>
                        <Select mode="tags" placeholder="别名（标题的其他写法）" style={{ width: 360 }} tokenSeparators={[',', '，']} />
                      </Form.Item>
                    ) : (
                      <Form.Item name={[f.name, 'description']}>
                        <Input placeholder="核查要点" style={{ width: 420 }} maxLength={200} />
                      </Form.Item>
                    )}
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除" />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: '', title: '' })}>
                  添加
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      )}
      {inactive.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          已停用（历史核查记录仍保留）：
          {inactive.map((x) => (
            <Tag key={x.code}>{x.title}</Tag>
          ))}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** 核查维度设置: the check dimensions experts review along, and the case-file sections recognised by heading. */
export function FeeReviewSettingsPage() {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ListEditor<Dimension>
        title="核查维度"
        url="/fee-review/dimensions"
        hint="专家核查费用偏离病例时逐项填写的维度，按列表顺序显示；删除的维度停用，不影响已出具的结论。"
      />
      <ListEditor<SectionDef>
        title="病历章节识别"
        url="/fee-review/sections"
        withAliases
        hint="上传的病例 PDF 按这些章节标题（或别名）拆分，标题须单独成行。"
      />
    </Space>
  );
}
