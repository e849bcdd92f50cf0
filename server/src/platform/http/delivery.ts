import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * How bytes leave the server. Responses are compressed (brotli, else gzip): the console's sign-in page is
 * about 1.5 MB of script uncompressed. The console's build writes `.br`/`.gz` twins of its files once
 * (web/vite.config.ts), served as they are; only what has none (API answers, small files) is compressed per
 * response. Vite names every file under /assets/ after its content hash, so those never change and may be cached for a year; index.html must be revalidated so a new build is picked up.
 * API answers carry personal data (names, ID numbers, health records): no browser or proxy may keep them.
 */
export async function registerDelivery(app: FastifyInstance): Promise<void> {
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * `setHeaders` for @fastify/static: hashed assets are immutable, everything else is revalidated. `path` is the
 * file sent, a precompressed twin included (`…-Bx3k9QzA.js.br`).
 */
export function staticCacheHeaders(reply: { header(name: string, value: string): unknown }, path: string): void {
  const hashed = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+(\.br|\.gz)?$/.test(path);
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}
