// 短信网关 adapter. A module queues an SMS as a template name, its parameters and a sealed phone
// number (sealed.ts); the adapter renders the text from the registered template (the link included)
// and opens the phone only when sending, so the outbox holds no message text and no phone in clear.
//
//   registerSmsTemplate('childcare-subsidy.confirm', (p) => `【…】…${p.link}`);
//   enqueueMessage(tx, { system: 'sms-gateway', topic: 'sms.x', key, payload: { template, params, phoneSealed, ref } });
import { type AdapterSpec, defineAdapter } from '../adapter.ts';
import type { OutboxMessage } from '../outbox.ts';
import { openSealed } from '../sealed.ts';

export const SMS_GATEWAY = 'sms-gateway';
export type SmsTemplate = (params: Record<string, string | number | null>) => string;
const templates = new Map<string, SmsTemplate>();

export function registerSmsTemplate(name: string, render: SmsTemplate): void {
  templates.set(name, render);
}

export interface SmsPayload {
  template: string;
  params: Record<string, string | number | null>;
  /** The recipient's mobile number, sealed with the key ring. */
  phoneSealed: string;
  /** The sender's reference (e.g. an application id), echoed in delivery receipts. */
  ref: string;
}

/** The gateway's request: POST /api/v1/sms { phone, text, ref }. Throws (a retried attempt) on an unknown template. */
export function smsRequest(m: OutboxMessage) {
  const p = m.payload as unknown as SmsPayload;
  const render = templates.get(p.template);
  if (!render) throw new Error(`未登记的短信模板：${p.template}`);
  return { method: 'POST' as const, path: '/api/v1/sms', body: { phone: openSealed(p.phoneSealed), text: render(p.params ?? {}), ref: p.ref } };
}

export function smsGatewayAdapter(over: Partial<AdapterSpec> = {}) {
  return defineAdapter({ system: SMS_GATEWAY, request: smsRequest, retry: { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 600_000 }, ...over });
}

/** The adapter every module that sends SMS declares (defineModule({ adapters: [smsGateway] })). */
export const smsGateway = smsGatewayAdapter();
