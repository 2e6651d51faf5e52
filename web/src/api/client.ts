// A thin typed fetch client over the generated OpenAPI types: paths, query, bodies and answers are
// checked by TypeScript against src/api/schema.d.ts. The bearer token lives only in memory; the
// HttpOnly `fq_session` cookie carries the session across reloads. An `unauthenticated` answer
// calls the handler the app registers (which sends the user to the login page).
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** Paths that have an operation for `M`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: infer Op } ? (Op extends { responses: unknown } ? P : never) : never;
}[keyof paths];

type Operation<P extends keyof paths, M extends HttpMethod> = paths[P] extends { [K in M]: infer Op } ? Op : never;

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON body of the operation's 200 or 201 answer (`void` for 204). */
export type Answer<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: infer Ok }
      ? JsonOf<Ok>
      : R extends { 201: infer Created }
        ? JsonOf<Created>
        : void
    : never;

type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? (Q extends undefined ? never : Q) : never;
type PathParamsOf<Op> = Op extends { parameters: { path?: infer Pp } } ? (Pp extends undefined ? never : Pp) : never;
type BodyOf<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export interface RequestOptions<P extends keyof paths, M extends HttpMethod> {
  params?: PathParamsOf<Operation<P, M>>;
  query?: QueryOf<Operation<P, M>>;
  body?: BodyOf<Operation<P, M>>;
  signal?: AbortSignal;
}

/** One field problem from the error envelope. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** A failed request, carrying the server's error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
    readonly details: FieldProblem[],
    readonly retryAfterSecs: number | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never reached the server (or its answer could not be read). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

let bearerToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setToken(token: string | null): void {
  bearerToken = token;
}

/** The bearer token, for the few raw `fetch` calls (uploads, headers the typed client lacks). */
export function currentToken(): string | null {
  return bearerToken;
}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function readError(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; field?: string | null; details?: FieldProblem[] } };
    const e = body.error ?? {};
    return new ApiError(res.status, e.code ?? 'unknown', e.message ?? res.statusText, e.field ?? null, e.details ?? [], retryAfter);
  } catch {
    return new ApiError(res.status, 'unknown', res.statusText, null, [], retryAfter);
  }
}

async function request<P extends keyof paths, M extends HttpMethod>(
  method: M,
  path: P,
  options: RequestOptions<P, M> = {},
): Promise<Answer<P, M>> {
  const url = fillPath(String(path), options.params as Record<string, unknown> | undefined) + queryString(options.query as Record<string, unknown> | undefined);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (bearerToken) headers.Authorization = `Bearer ${bearerToken}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: method.toUpperCase(), headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }
  if (!res.ok) {
    const error = await readError(res);
    if (error.status === 401 && error.code === 'unauthenticated' && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (res.status === 204) return undefined as Answer<P, M>;
  return (await res.json()) as Answer<P, M>;
}

export const api = {
  get: <P extends PathsWith<'get'>>(path: P, options?: RequestOptions<P, 'get'>) => request('get', path, options),
  post: <P extends PathsWith<'post'>>(path: P, options?: RequestOptions<P, 'post'>) => request('post', path, options),
  patch: <P extends PathsWith<'patch'>>(path: P, options?: RequestOptions<P, 'patch'>) => request('patch', path, options),
  put: <P extends PathsWith<'put'>>(path: P, options?: RequestOptions<P, 'put'>) => request('put', path, options),
};
