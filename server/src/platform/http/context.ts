import type { ServiceContext } from '../service-context.ts';

/** What a handler gets: the service context (what the services it calls take) and the request's details. */
export interface RequestContext extends ServiceContext {
  requestId: string;
  ip: string | null;
  /** Session cookie/headers helpers for the auth routes. */
  reply?: {
    setCookie(name: string, value: string, opts: Record<string, unknown>): void;
    clearCookie(name: string, opts?: Record<string, unknown>): void;
    header(name: string, value: string): void;
  };
  headers: Record<string, string | string[] | undefined>;
}
