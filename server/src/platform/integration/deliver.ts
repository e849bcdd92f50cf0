// One delivery attempt of one claimed message: settings from the environment, the signer, the
// adapter's mapping, the HTTP call and the classification. Never throws: a missing URL or secret, or
// an adapter bug, is a failed attempt that is retried (configuration may be fixed meanwhile) and
// ends in the dead-letter view when it never is.
import type { Kernel } from '../kernel.ts';
import { type Adapter, type DeliverContext, NotConfiguredError, resolveSettings, signerFor } from './adapter.ts';
import type { Outcome } from './classify.ts';
import { sendRequest } from './http-client.ts';
import type { OutboxMessage } from './outbox.ts';
import { envPrefix } from './systems.ts';

export async function deliverMessage(kernel: Pick<Kernel, 'config' | 'keys'>, adapter: Adapter, message: OutboxMessage): Promise<Outcome> {
  const settings = resolveSettings(adapter, kernel.config.env === 'production');
  const env = envPrefix(adapter.system);
  if (!settings.baseUrl) return { result: 'retry', httpStatus: null, error: `未配置对接地址（环境变量 ${env}URL）` };
  const baseUrl = settings.baseUrl;
  let signer: ReturnType<typeof signerFor>;
  try {
    signer = signerFor(settings, kernel.keys);
  } catch (e) {
    if (e instanceof NotConfiguredError) return { result: 'retry', httpStatus: null, error: `${e.message}（环境变量 ${env}SECRET）` };
    throw e;
  }
  const ctx: DeliverContext = {
    settings,
    send: (req) =>
      sendRequest({
        baseUrl,
        method: req.method,
        path: req.path,
        body: req.body,
        headers: { 'x-wj-message-id': String(message.id), 'x-wj-topic': message.topic, ...(req.headers ?? {}) },
        idempotencyKey: message.key,
        timeoutMs: settings.timeoutMs,
        signer,
      }),
  };
  try {
    return await adapter.deliver(message, ctx);
  } catch (e) {
    return { result: 'retry', httpStatus: null, error: `适配器处理出错：${e instanceof Error ? e.message : String(e)}` };
  }
}
