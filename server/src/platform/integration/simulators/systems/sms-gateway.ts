// 短信网关: sends an SMS; delivery receipts come back as replies (issue 6 item 5).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const smsGatewaySimulator = defineSimulator({ system: 'sms-gateway' });
