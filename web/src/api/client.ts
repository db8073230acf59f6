import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { wordsOf } from '../i18n';
import { PROBLEMS, type ProblemKind, isProblemKind } from '../messages/problems';
import { refreshed, session, signOut } from '../session';

/**
 * The typed client of the service's own API, generated from its OpenAPI document (web/openapi.json,
 * written by `npm run build`): a route or a body that changes breaks this build, not a user's screen.
 */
export const api = createClient<paths>({ baseUrl: '' });

/**
 * RFC 9457 problem details, as every error of the API answers: `kind` from its `type`, `detail` the
 * service's own words (English, may name fields); or a screen's own refusal, `said` in the user's language.
 */
export interface Problem {
  readonly status: number;
  readonly kind?: ProblemKind;
  readonly detail?: string;
  readonly said?: string;
  /** A 429's Retry-After, in seconds. */
  readonly retryAfter?: number;
}

const authorization: Middleware = {
  onRequest({ request }) {
    const token = session()?.accessToken;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};
api.use(authorization);

/**
 * What a user reads for a refused or failed request: a sentence in their language chosen by the
 * problem's kind, and the service's detail (English) apart, as a secondary line.
 */
export function explain(problem: Problem): { sentence: string; fromService?: string } {
  const w = wordsOf(PROBLEMS);
  const sentence =
    problem.said ?? (problem.status === 0 ? w.connectionLost : problem.kind ? w.kind[problem.kind] : w.answered(problem.status));
  return { sentence, ...(problem.detail ? { fromService: problem.detail } : {}) };
}

/** The kind a problem's `type` names (`<public URL>/problems/<kind>`); none for `about:blank` or a body that is not problem details. */
const kindOf = (type: string | undefined): ProblemKind | undefined => {
  const slug = type?.slice(type.lastIndexOf('/problems/') + '/problems/'.length);
  return type?.includes('/problems/') && slug && isProblemKind(slug) ? slug : undefined;
};

/**
 * Runs one API call; a network failure becomes a problem with status 0 (nothing was sent, or its
 * answer was lost), an expired access token is refreshed once, and a 401 after that signs out.
 */
export async function call<T>(
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ ok: true; data: T; response: Response } | { ok: false; problem: Problem }> {
  for (let attempt = 0; ; attempt++) {
    let answer: Awaited<ReturnType<typeof run>>;
    try {
      answer = await run();
    } catch {
      return { ok: false, problem: { status: 0 } };
    }
    if (answer.response.ok) return { ok: true, data: answer.data as T, response: answer.response };
    if (answer.response.status === 401 && attempt === 0 && (await refresh())) continue;
    if (answer.response.status === 401 && session()) signOut('expired');
    const error = (answer.error ?? {}) as { type?: string; detail?: string };
    const kind = kindOf(error.type);
    return {
      ok: false,
      problem: {
        status: answer.response.status,
        ...(kind ? { kind } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
        ...(answer.response.status === 429 ? { retryAfter: Number(answer.response.headers.get('Retry-After')) || 1 } : {}),
      },
    };
  }
}

async function refresh(): Promise<boolean> {
  const refreshToken = session()?.refreshToken;
  if (!refreshToken) return false;
  try {
    const { data } = await api.POST('/auth/refresh', { body: { refresh_token: refreshToken } });
    if (!data) return false;
    refreshed(data.access_token, data.refresh_token);
    return true;
  } catch {
    return false;
  }
}

/**
 * An Idempotency-Key per intended action: a retried or double-clicked submit sends the same key, so
 * the service writes once. A form makes one when it is shown and a new one after a success.
 */
export const idempotencyKey = (): string => crypto.randomUUID();
