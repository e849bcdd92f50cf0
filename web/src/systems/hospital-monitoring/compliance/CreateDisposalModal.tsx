import { App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';

/** 生成处置单: title and due date for the selected findings (all of one institution). */
export function CreateDisposalModal({ findingIds, open, onClose, onCreated }: { findingIds: number[]; open: boolean; onClose(): void; onCreated(): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; dueOn: Dayjs }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.post('/compliance/disposals', { title: v.title.trim(), dueOn: v.dueOn.format('YYYY-MM-DD'), findingIds });
      message.success('已生成处置单（草稿），可在“处置单管理”中下发');
      form.resetFields();
      onCreated();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title="生成处置单" okText="生成" cancelText="取消" confirmLoading={saving} onOk={submit} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">已选 {findingIds.length} 条监测结果。一张处置单只针对一家机构。</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ dueOn: dayjs().add(14, 'day') }}>
        <Form.Item
          name="title"
          label="标题"
          rules={[
            { required: true, whitespace: true, message: '请填写标题' },
            { max: 100, message: '标题不超过100字' },
          ]}
        >
          <Input placeholder="如：2026年9月B超重复收费问题处置" />
        </Form.Item>
        <Form.Item name="dueOn" label="处置期限" rules={[{ required: true, message: '请选择处置期限' }]}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
