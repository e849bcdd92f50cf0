import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ValidateFunction } from 'ajv';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Kernel } from '../kernel.ts';
import { registerDelivery, staticCacheHeaders } from './delivery.ts';
import { AppError, type ErrorBody } from './errors.ts';
import { metricsPlugin } from './metrics.ts';
import { API_PREFIX, mountRoute } from './mount.ts';
import { bodyAjv, paramAjv, toFieldErrors } from './validation.ts';

function errorBody(_status: number, code: string, message: string, details: ErrorBody['details'], requestId: string): ErrorBody {
  return { code, message, details, requestId };
}

export async function buildServer(kernel: Kernel): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: kernel.log as unknown as FastifyBaseLogger,
    bodyLimit: kernel.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // Off unless configured: otherwise any client could name its own address in X-Forwarded-For.
    // (boolean | number | string all work; the cast only keeps Fastify's overloads on the HTTP/1 server type.)
    trustProxy: kernel.config.trustProxy as boolean,
    // Fastify's own request log prints the full URL, and query strings carry ID numbers and phones
    // (?idNumber=…): we log the route pattern and the query's keys only (see the onResponse hook below).
    disableRequestLogging: true,
    ajv: { customOptions: { allErrors: true } },
  });

  // Keep the raw body: partner requests are signed over its digest.
  // application/fhir+json: FHIR clients post Parameters resources with it (terminology operations).
  app.addContentTypeParser(['application/json', 'application/fhir+json'], { parseAs: 'string' }, (req, body, done) => {
    (req as typeof req & { rawBody?: string }).rawBody = body as string;
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError(400, 'INVALID_JSON', '请求体不是有效的 JSON'), undefined);
    }
  });
  // Compiled at a route's first request, not at start: a process serves few of its hundreds of routes
  // (each test file starts one), and compiling them all cost a second per start.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : paramAjv;
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown): boolean => {
      compiled ??= ajv.compile(schema);
      const ok = compiled(data) as boolean;
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  });
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const e = new AppError(400, 'VALIDATION_FAILED', '输入有误，请检查标出的字段', toFieldErrors(errors as never, dataVar));
    return e as unknown as Error;
  });

  app.addHook('onResponse', async (req, reply) => {
    const q = req.query && typeof req.query === 'object' ? Object.keys(req.query as object) : [];
    req.log.info(
      {
        reqId: req.id,
        method: req.method,
        route: req.routeOptions.url ?? 'unknown',
        queryKeys: q,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    return payload;
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const rid = String(req.id);
    if (err instanceof AppError) {
      return reply.code(err.status).send({ ...errorBody(err.status, err.code, err.message, err.details, rid), ...err.extra });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply
        .code(400)
        .send(errorBody(400, 'VALIDATION_FAILED', '输入有误，请检查标出的字段', toFieldErrors(fe.validation as never, fe.validationContext ?? 'body'), rid));
    }
    if (fe.statusCode === 413 || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(errorBody(413, 'PAYLOAD_TOO_LARGE', '请求体过大', [], rid));
    }
    if (fe.statusCode === 415 || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(errorBody(415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型，请使用 application/json', [], rid));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(errorBody(fe.statusCode, fe.code ?? 'BAD_REQUEST', '请求无效', [], rid));
    }
    // PostgreSQL input errors that slipped past the schema are still the caller's fault, not ours.
    const pgCode = (err as { code?: string }).code ?? '';
    if (/^22/.test(pgCode) || pgCode === '23502' || pgCode === '23514') {
      return reply.code(400).send(errorBody(400, 'BAD_REQUEST', '输入数据不符合要求', [], rid));
    }
    if (pgCode === '23505') return reply.code(409).send(errorBody(409, 'CONFLICT', '记录已存在', [], rid));
    if (pgCode === '23503') return reply.code(409).send(errorBody(409, 'CONFLICT', '关联记录不存在或仍被引用', [], rid));
    if (pgCode === '42501') return reply.code(403).send(errorBody(403, 'FORBIDDEN', '超出数据权限范围', [], rid));
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody(500, 'INTERNAL', '服务器内部错误，请稍后重试', [], rid));
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.code(404).send(errorBody(404, 'NOT_FOUND', '接口不存在', [], String(req.id)));
    }
    // Single-page app: unknown non-API paths get the console's index.html.
    if (existsSync(`${kernel.config.webDist}/index.html`)) return reply.sendFile('index.html');
    return reply.code(404).send(errorBody(404, 'NOT_FOUND', '页面不存在（前端尚未构建：npm run build）', [], String(req.id)));
  });

  await registerDelivery(app);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'weijian 卫健 API', version: '1', description: '统一错误体：{ code, message, details: [{ field, message }] }' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: '登录返回的会话令牌' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'wj_session' },
          partnerSignature: { type: 'apiKey', in: 'header', name: 'x-wj-signature', description: '合作系统 API Key 签名（HMAC-SM3），见 docs/security.md' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await metricsPlugin(app, kernel.config.metricsToken);
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await kernel.db.query('select 1');
      return { status: 'ready', database: kernel.db.kind };
    } catch {
      return reply.code(503).send({ status: 'not ready' });
    }
  });

  for (const { module, route } of kernel.routes) mountRoute(app, kernel, module, route);

  if (existsSync(kernel.config.webDist)) {
    await app.register(fastifyStatic, {
      root: kernel.config.webDist,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: staticCacheHeaders,
    });
  }
  void API_PREFIX;
  return app;
}
