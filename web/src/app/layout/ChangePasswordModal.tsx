import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../api';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change one's own password; `forced` after an administrator set it (cannot be dismissed). */
export function ChangePasswordModal({ open, forced = false, onClose }: { open: boolean; forced?: boolean; onClose(): void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      message.success('密码已修改');
      form.resetFields();
      onClose();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest.length || !(e as { details?: unknown[] }).details?.length) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={forced ? '请先修改密码' : '修改密码'}
      open={open}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okText="确认修改"
      closable={!forced}
      mask={{ closable: !forced }}
      keyboard={!forced}
      cancelButtonProps={{ style: forced ? { display: 'none' } : undefined }}
      destroyOnHidden
    >
      {forced && <Alert type="info" showIcon title="您的密码由管理员设置，请修改为只有您知道的新密码后继续使用。" style={{ marginBottom: 16 }} />}
      <PasswordFields form={form} askOld />
    </Modal>
  );
}

/** Old (optional), new and confirmation fields; the server checks the password policy itself. */
export function PasswordFields({ form, askOld }: { form: ReturnType<typeof Form.useForm<Values>>[0]; askOld: boolean }) {
  return (
    <Form form={form} layout="vertical" preserve={false}>
      {askOld && (
        <Form.Item name="oldPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      )}
      <Form.Item
        name="newPassword"
        label="新密码"
        extra="至少 10 位，含大写字母、小写字母、数字、符号中的至少 3 类；不含用户名，不是常用密码，不与最近几次用过的密码相同"
        rules={[{ required: true, message: '请输入新密码' }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </Form>
  );
}
