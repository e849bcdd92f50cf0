import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * How bytes leave the server. Responses are compressed (brotli, else gzip): the console's sign-in page is
 * about 1.5 MB of script uncompressed. Vite names every file under /assets/ after its content hash, so those
 * never change and may be cached for a year; index.html must be revalidated so a new build is picked up.
 * API answers carry personal data (names, ID numbers, health records): no browser or proxy may keep them.
 */
export async function registerDelivery(app: FastifyInstance): Promise<void> {
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** `setHeaders` for @fastify/static: hashed assets are immutable, everything else is revalidated. */
export function staticCacheHeaders(reply: { header(name: string, value: string): unknown }, path: string): void {
  const hashed = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+$/.test(path);
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}
