// Response schemas of the integration console's API (OpenAPI at /api/docs; the serializer sends only these
// fields, so a secret or a column added later never leaks by accident).
import { Type } from '@sinclair/typebox';
import { MESSAGE_STATUSES } from './outbox.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
// A type list, not anyOf: the serializer picks an anyOf branch by validating, and a Date is no string there.
const NullableTime = Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time' });
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const Status = Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)));

export const MessageItemSchema = Type.Object({
  id: Type.Integer(),
  system: Type.String({ description: '外部系统（适配器）代码' }),
  systemTitle: Type.String(),
  topic: Type.String(),
  key: Type.String({ description: '幂等键（Idempotency-Key）' }),
  status: Status,
  statusTitle: Type.String(),
  attempts: Type.Integer(),
  maxAttempts: NullableInt,
  nextAttemptAt: NullableTime,
  lastError: Nullable(Type.String()),
  districtCode: Nullable(Type.String()),
  createdAt: Time,
  deliveredAt: NullableTime,
});

export const MessagePageSchema = Type.Object({
  items: Type.Array(MessageItemSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const MessageDetailSchema = Type.Composite([
  MessageItemSchema,
  Type.Object({
    payload: Type.Unknown({ description: '消息内容（可能含个人信息，查看记入审计）' }),
    response: Type.Unknown({ description: '对方回执' }),
    history: Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        startedAt: Time,
        durationMs: Type.Integer(),
        outcome: Type.String(),
        httpStatus: NullableInt,
        error: Nullable(Type.String()),
      }),
    ),
  }),
]);

const CircuitSchema = Type.Object({
  system: Type.String(),
  state: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')]),
  stateTitle: Type.String(),
  consecutiveFailures: Type.Integer(),
  openedAt: NullableTime,
  openUntil: NullableTime,
  lastError: Nullable(Type.String()),
});

export const SystemsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      system: Type.String(),
      title: Type.String(),
      registered: Type.Boolean({ description: '本实例注册了该系统的适配器' }),
      baseUrl: Nullable(Type.String()),
      auth: Nullable(Type.String({ description: '签名方式：none / hmac-sm3 / sm2' })),
      clientId: Nullable(Type.String()),
      secretConfigured: Type.Boolean({ description: '是否已配置密钥（密钥本身从不返回）' }),
      timeoutMs: NullableInt,
      maxAttempts: NullableInt,
      counts: Type.Object(Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, Type.Integer()]))),
      circuit: Type.Union([CircuitSchema, Type.Null()]),
    }),
  ),
});
