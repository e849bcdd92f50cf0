import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';

/** Constant-time check of `Authorization: Bearer <token>` (digests, so lengths do not leak either). */
function hasToken(req: FastifyRequest, token: string): boolean {
  const h = req.headers.authorization ?? '';
  const given = h.startsWith('Bearer ') ? h.slice(7).trim() : '';
  const d = (s: string) => createHash('sha256').update(s).digest();
  return given !== '' && timingSafeEqual(d(given), d(token));
}

/**
 * Prometheus /metrics: default process metrics plus request duration by route and status. Route names,
 * counts and process facts are no business of the public: served only with the configured bearer token
 * (WEIJIAN_METRICS_TOKEN); without one configured, /metrics is not served at all (404).
 */
export async function metricsPlugin(app: FastifyInstance, token?: string): Promise<void> {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'weijian_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!token) return reply.code(404).send({ code: 'NOT_FOUND', message: '接口不存在', details: [] });
    if (!hasToken(req, token)) {
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send({ code: 'UNAUTHORIZED', message: '需要监控令牌', details: [] });
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
