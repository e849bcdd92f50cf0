/** Shapes of /api/v1/integration/* (server/src/platform/integration/schemas.ts). */
export type MessageStatus = 'pending' | 'delivering' | 'delivered' | 'failed' | 'dead';
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface OutboxMessage {
  id: number;
  system: string;
  systemTitle: string;
  topic: string;
  key: string;
  status: MessageStatus;
  statusTitle: string;
  attempts: number;
  maxAttempts: number | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  districtCode: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface MessageDetail extends OutboxMessage {
  payload: unknown;
  response: unknown;
  history: { attempt: number; startedAt: string; durationMs: number; outcome: string; httpStatus: number | null; error: string | null }[];
}

export interface OutsideSystem {
  system: string;
  title: string;
  registered: boolean;
  baseUrl: string | null;
  auth: string | null;
  clientId: string | null;
  secretConfigured: boolean;
  timeoutMs: number | null;
  maxAttempts: number | null;
  counts: Record<MessageStatus, number>;
  circuit: {
    state: CircuitState;
    stateTitle: string;
    consecutiveFailures: number;
    openedAt: string | null;
    openUntil: string | null;
    lastError: string | null;
  } | null;
}

export const MESSAGE_STATUS: Record<MessageStatus, { text: string; color: string }> = {
  pending: { text: '待投递', color: 'default' },
  delivering: { text: '投递中', color: 'processing' },
  delivered: { text: '已送达', color: 'success' },
  failed: { text: '投递失败（将重试）', color: 'warning' },
  dead: { text: '死信', color: 'error' },
};

export const CIRCUIT_COLOR: Record<CircuitState, string> = { closed: 'success', 'half-open': 'warning', open: 'error' };

export const AUTH_TITLE: Record<string, string> = { none: '不签名', 'hmac-sm3': 'HMAC-SM3 签名', sm2: 'SM2 签名' };
