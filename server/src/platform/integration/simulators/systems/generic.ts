// The generic outside system: accepts any signed write once per Idempotency-Key, publishes an
// acceptance receipt as its reply, and takes every fault. Tests use it for their own adapters.
import { defineSimulator } from '../simulator.ts';

export const genericSimulator = defineSimulator({ system: 'generic', title: '通用外部系统（模拟）', auth: 'hmac-sm3' });
