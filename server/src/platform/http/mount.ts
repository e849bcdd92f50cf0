import { checkResponse } from './response-check.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../audit/append.ts';
import { AuditBuffer } from '../audit/event.ts';
import { authenticateSession } from '../auth/authenticate.ts';
import { authenticatePartner } from '../auth/partner.ts';
import { ANONYMOUS, can, type Principal, SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/session-token.ts';
import type { Kernel } from '../kernel.ts';
import type { WeijianModule } from '../module.ts';
import { scopeSettings } from '../scope/scope.ts';
import type { RequestContext } from './context.ts';
import { AppError, forbidden, unauthorized } from './errors.ts';
import { type AnyRoute, isFileResult, isNoContent } from './route.ts';
import { textProblems } from './text-guard.ts';

export const API_PREFIX = '/api/v1';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

async function principalFor(kernel: Kernel, route: AnyRoute, req: FastifyRequest): Promise<Principal> {
  if (route.auth === 'public') {
    return ANONYMOUS;
  }
  if (route.auth === 'partner') {
    return authenticatePartner(kernel, {
      method: req.method,
      url: req.url,
      headers: req.headers,
      rawBody: (req as FastifyRequest & { rawBody?: string }).rawBody ?? '',
    });
  }
  const fromHeader = bearer(req);
  const token = fromHeader ?? req.cookies?.[SESSION_COOKIE];
  if (!token && route.sessionOptional) return ANONYMOUS;
  if (!token) throw unauthorized();
  const auth = await authenticateSession(kernel, token);
  if (!auth && route.sessionOptional) return ANONYMOUS;
  if (!auth) throw unauthorized('登录已过期，请重新登录');
  // Cookies ride along on cross-site requests; a bearer token does not, so only cookies need CSRF proof.
  if (!fromHeader && UNSAFE.has(req.method) && req.headers[CSRF_HEADER] !== auth.csrfToken) {
    throw new AppError(403, 'CSRF', '请求校验失败（CSRF），请刷新页面后重试');
  }
  if (route.auth === 'staff' && auth.principal.mfaPending) {
    throw new AppError(401, 'MFA_REQUIRED', '请先完成动态口令（TOTP）验证');
  }
  if (route.auth === 'staff' && auth.principal.mustChangePassword && route.url !== '/auth/password') {
    throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改密码（密码已被管理员重置、已过期或不再符合密码策略）');
  }
  return auth.principal;
}

/**
 * A JSON `null` body is never what a route expects: taking it as {} turned `PATCH /users/1` with `null`
 * into an empty update with its audit event. Refused here, before the route sees it.
 */
function refuseNullBody(req: FastifyRequest): void {
  if (req.body === null) {
    throw new AppError(400, 'VALIDATION_FAILED', '请求体须为 JSON 对象', [{ field: 'body', message: '请求体须为 JSON 对象，不能为 null' }]);
  }
}

export const CITY_ONLY_NOTE = '数据范围：仅限市级用户';

/**
 * The one path every request takes: authenticate → permission → one transaction with the caller's
 * scope (row-level security) → handler → audit events appended in the same transaction → response.
 */
export function mountRoute(app: FastifyInstance, kernel: Kernel, module: WeijianModule, route: AnyRoute): void {
  const security: Record<string, string[]>[] =
    route.auth === 'public' ? [] : route.auth === 'partner' ? [{ partnerSignature: [] }] : [{ bearer: [] }, { cookie: [] }];
  app.route({
    method: route.method,
    url: API_PREFIX + route.url,
    schema: {
      summary: route.summary,
      description: [route.description, route.permission ? `权限：\`${route.permission}\`` : '', route.scope === 'city' ? CITY_ONLY_NOTE : '']
        .filter(Boolean)
        .join('\n\n'),
      tags: route.tags ?? [module.title],
      security,
      ...(route.body ? { body: route.body } : {}),
      ...(route.querystring ? { querystring: route.querystring } : {}),
      ...(route.params ? { params: route.params } : {}),
      ...(route.response ? { response: route.response } : {}),
    },
    // An empty POST to a route with a body schema is checked as {} so the caller hears which fields are missing.
    preValidation: async (req: FastifyRequest) => {
      refuseNullBody(req);
      if (route.body && req.body === undefined) req.body = {};
    },
    // After the schema: NUL characters and all-blank required text, refused with the field named.
    preHandler: async (req: FastifyRequest) => {
      const problems = [...textProblems(req.body, route.body), ...textProblems(req.query, route.querystring), ...textProblems(req.params, route.params)];
      if (problems.length) throw new AppError(400, 'VALIDATION_FAILED', '输入有误，请检查标出的字段', problems);
    },
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const principal = await principalFor(kernel, route, req);
      if (route.permission && !can(principal, route.permission)) throw forbidden();
      if (route.scope === 'city' && principal.scope.level !== 'city')
        throw forbidden(`${route.summary.replace(/（.*$/, '')}：${CITY_ONLY_NOTE.replace('数据范围：', '')}`);
      const audit = new AuditBuffer();
      const ctxBase = {
        principal,
        audit,
        kernel,
        requestId: String(req.id),
        ip: req.ip ?? null,
        headers: req.headers,
        reply: {
          setCookie: (n: string, v: string, o: Record<string, unknown>) => void reply.setCookie(n, v, o),
          clearCookie: (n: string, o?: Record<string, unknown>) => void reply.clearCookie(n, o),
          header: (n: string, v: string) => void reply.header(n, v),
        },
      };
      const input = { body: req.body ?? {}, query: req.query ?? {}, params: req.params ?? {} };
      // Anonymous and partner calls run with the system's city scope only where the handler narrows
      // the data itself (sign-in, partner look-ups by exact key); staff run in their own scope.
      const scopeOf = principal.kind === 'anonymous' ? SYSTEM_PRINCIPAL : principal;
      const refused: { error?: AppError } = {};
      const run = async (ctx: RequestContext) => {
        let out: unknown;
        try {
          out = await route.handler(ctx, input);
        } catch (e) {
          // A refusal that must leave its trace (failed sign-in counter, audit event): commit, then send it.
          if (!(e instanceof AppError && e.commit)) throw e;
          refused.error = e;
        }
        if (!refused.error && UNSAFE.has(route.method) && audit.events.length === 0) {
          audit.write({
            action: route.action ?? `${route.method} ${route.url}`,
            objectType: 'request',
            objectId: Object.values(input.params as object).join('/') || null,
          });
        }
        await appendAudit(ctx.tx, principal, audit.events, { ip: ctxBase.ip, requestId: ctxBase.requestId });
        return out;
      };
      const result = route.noTransaction
        ? await route.handler({ ...ctxBase, tx: kernel.db }, input)
        : await kernel.db.transaction((tx) => run({ ...ctxBase, tx }), { scope: scopeSettings(scopeOf.scope, principal.userId) });
      if (refused.error) throw refused.error;
      if (isFileResult(result)) {
        reply.header('content-type', result.contentType);
        reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(result.filename)}`);
        return reply.send(result.body);
      }
      if (isNoContent(result)) return reply.code(204).send();
      const status = route.successStatus ?? 200;
      if (kernel.config.checkResponses) checkResponse(route, status, result ?? { ok: true });
      reply.code(status);
      return result ?? { ok: true };
    },
  });
}
