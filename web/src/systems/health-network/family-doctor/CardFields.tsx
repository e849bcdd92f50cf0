import { Checkbox, Form, Input, Space } from 'antd';

/**
 * 参保地 + 医保卡号 on the sign, renewal and change forms (tender row 5). A Shanghai card by default; "异地医保卡"
 * asks for the 6-digit 参保地 code. The server (resident index) checks the format of that place and that a
 * non-local 参保地 + 卡号 belongs to nobody else, on every path.
 */
export function CardFields({ optional = true }: { optional?: boolean }) {
  const nonLocal = Form.useWatch('nonLocalCard') as boolean | undefined;
  return (
    <Space style={{ width: '100%' }} align="start" wrap>
      <Form.Item name="nonLocalCard" valuePropName="checked" label="医保卡类型">
        <Checkbox data-testid="fd-card-nonlocal">异地医保卡</Checkbox>
      </Form.Item>
      {nonLocal && (
        <Form.Item
          name="insuredPlace"
          label="参保地"
          tooltip="6 位行政区划代码；参保地 + 卡号识别唯一居民"
          rules={[{ required: true, pattern: /^\d{6}$/, message: '请填写 6 位参保地代码' }]}
        >
          <Input style={{ width: 140 }} maxLength={6} placeholder="如 320100" data-testid="fd-card-place" />
        </Form.Item>
      )}
      <Form.Item
        name="insuranceCardNo"
        label={optional ? '医保卡号（可选）' : '医保卡号'}
        rules={[{ pattern: /^[0-9A-Za-z]{4,32}$/, message: '医保卡号为 4–32 位字母和数字' }]}
      >
        <Input style={{ width: 240 }} maxLength={32} className="wj-mono" data-testid="fd-card-no" />
      </Form.Item>
    </Space>
  );
}

/** The body fields from the form values: a Shanghai card carries 310000; nothing when no card was entered. */
export function cardBody(v: { nonLocalCard?: boolean; insuredPlace?: string; insuranceCardNo?: string }): { insuredPlace?: string; insuranceCardNo?: string } {
  const no = v.insuranceCardNo?.trim();
  if (!no) return {};
  return { insuranceCardNo: no, insuredPlace: v.nonLocalCard ? v.insuredPlace : '310000' };
}
