// 短信网关: POST /api/v1/sms { phone, text, ref } sends one SMS (once per Idempotency-Key, like every
// simulated write); a delivery receipt { type: 'sms.delivery', ref, msgId, status } follows on the reply
// feed. What was "sent" is in GET /__sim/received (tests and the browser test read the links there).
import { randomUUID } from 'node:crypto';
import { defineSimulator } from '../simulator.ts';

const MOBILE = /^1[3-9]\d{9}$/;

export const smsGatewaySimulator = defineSimulator({
  system: 'sms-gateway',
  reply: null,
  routes: [
    {
      method: 'POST',
      url: '/api/v1/sms',
      handler: (req, sim) => {
        const b = (req.body ?? {}) as { phone?: unknown; text?: unknown; ref?: unknown };
        if (typeof b.phone !== 'string' || !MOBILE.test(b.phone)) return { status: 400, body: { code: 'BAD_PHONE', message: '手机号码格式不正确' } };
        if (typeof b.text !== 'string' || b.text.length === 0 || b.text.length > 500)
          return { status: 400, body: { code: 'BAD_TEXT', message: '短信内容为空或超过 500 字' } };
        const msgId = randomUUID();
        sim.emitReply({ type: 'sms.delivery', ref: typeof b.ref === 'string' ? b.ref : null, msgId, status: 'delivered' });
        return { status: 200, body: { msgId, segments: Math.ceil(b.text.length / 67) } };
      },
    },
  ],
});
