import type { Static, TSchema } from '@sinclair/typebox';
import type { RequestContext } from './context.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route:
 * - public: anyone (health checks, sign-in);
 * - password: a session whose password was accepted, second factor still pending (TOTP enrolment);
 * - staff: a fully signed-in staff session (password + TOTP);
 * - partner: a partner system's signed API-key request.
 */
export type RouteAuth = 'public' | 'password' | 'staff' | 'partner';

export interface FileResult {
  file: true;
  contentType: string;
  filename: string;
  body: Buffer | string;
}

export interface RouteDef<B extends TSchema = TSchema, Q extends TSchema = TSchema, P extends TSchema = TSchema> {
  method: HttpMethod;
  /** Path below /api/v1, e.g. '/residents/:id'. */
  url: string;
  summary: string;
  description?: string;
  tags?: string[];
  auth: RouteAuth;
  /** Required permission for staff/partner routes (see the module's permission list). */
  permission?: string;
  /**
   * 'city': only callers whose data scope is the whole city (city-wide configuration, pulls from city
   * systems, screenings); anyone else gets 403 before the handler runs. Shown in the API description.
   */
  scope?: 'city';
  body?: B;
  querystring?: Q;
  params?: P;
  response?: Record<number, TSchema>;
  /** Status on success (default 200; 201 for creations where the handler says so). */
  successStatus?: number;
  /** Audit action recorded for a write when the handler records none itself. */
  action?: string;
  /** auth 'password' only: no session is not a 401, the handler runs as anonymous (a probe: "am I signed in?"). */
  sessionOptional?: boolean;
  /** Handlers that run without a database transaction (e.g. streaming, health). */
  noTransaction?: boolean;
  handler: (ctx: RequestContext, input: { body: Static<B>; query: Static<Q>; params: Static<P> }) => Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds routes of every shape
export type AnyRoute = RouteDef<any, any, any>;

export function defineRoute<B extends TSchema = TSchema, Q extends TSchema = TSchema, P extends TSchema = TSchema>(def: RouteDef<B, Q, P>): AnyRoute {
  return def as AnyRoute;
}

export function fileResult(contentType: string, filename: string, body: Buffer | string): FileResult {
  return { file: true, contentType, filename, body };
}

/** "Nothing here yet" (e.g. an image not uploaded): 204 without a body, not an error the console must swallow. */
export interface NoContent {
  noContent: true;
}
export const noContent = (): NoContent => ({ noContent: true });
export function isNoContent(v: unknown): v is NoContent {
  return typeof v === 'object' && v !== null && (v as NoContent).noContent === true;
}

export function isFileResult(v: unknown): v is FileResult {
  return typeof v === 'object' && v !== null && (v as FileResult).file === true;
}
