import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { PUBLIC_ROUTE, ROUTE_ACTION } from '../src/identity/access.decorators.js';
import { openApiDocument } from '../src/app.factory.js';
import { PERMISSIONS } from '../src/identity/roles.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/identity/token.service.js';
import {
  AGENCY_KINDS_BY_KEY,
  type AgencyKey,
  CALLERS,
  type CaseState,
  type Caller,
  type Cell,
  CONTEXTS,
  type Context,
  type Fixture,
  MARKERS,
  MARKER_PATTERN,
  type Marker,
  PROTECTED_ROUTES,
  PUBLIC_ROUTES,
  childCase,
  generateCells,
  isPublic,
  routeName,
} from './support/route-specs.js';
import { offerService } from './support/case-steps.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { useTestApp } from './support/test-app.js';

/**
 * A generated security suite: every route x every caller x every context, expected statuses computed
 * from the spec table in test/support/route-specs.ts (see there to add a route). Besides the status,
 * every cell checks that an error is application/problem+json, that a refused request wrote nothing
 * and carries no personal value, and that a success shows only the personal data it may.
 */

const CELLS = generateCells();
/** A 404 for something the caller's agency may not know of must read exactly as for one that does not exist. */
const NOT_FOUND_CELLS = CELLS.filter((cell) => cell.status === 404 && cell.route.target);

const ATTACKS = [
  'no token',
  'alg none',
  'a token signed with a wrong key',
  'an expired token',
  'a wrong audience',
  'a wrong issuer',
  'HS512 with the right key',
  'a role claim the user does not have',
  'a malformed bearer token',
  'a token of a deactivated user',
  'a token of a user of a deactivated agency',
  'a revoked API key',
  'an API key with a wrong secret',
  'an API key of a deactivated agency',
] as const;
type Attack = (typeof ATTACKS)[number];
const ATTACK_CELLS = PROTECTED_ROUTES.flatMap((route) =>
  ATTACKS.map((attack) => ({ route, attack, title: `${routeName(route)} with ${attack} -> 401` })),
);

/** Users the matrix adds to the demo network: a caseworker per agency that opens or receives its cases, admins to issue keys. */
const OPENER: Partial<Record<AgencyKey, string>> = {
  social: 'matrix.caseworker.social',
  shelter: 'matrix.caseworker.shelter',
  justice: 'matrix.caseworker.justice',
  clinic: 'matrix.caseworker.clinic',
  legal: 'caseworker.legal',
  ngo: 'caseworker.ngo',
};
const ADMIN: Partial<Record<AgencyKey, string>> = {
  social: 'admin.social',
  shelter: 'admin.shelter',
  justice: 'matrix.admin.justice',
  clinic: 'matrix.admin.clinic',
};
/** The agency owning the cases of other agencies, and where "another agency's" users and keys live; no caller belongs to it. */
const OTHER_AGENCY: AgencyKey = 'clinic';
const THIRD_AGENCY: AgencyKey = 'legal';

/** The fixed tests: 'the spec table' (5) and the log check at the end (1). */
const STRUCTURE_TESTS = 6;
const TOTAL = CELLS.length + NOT_FOUND_CELLS.length + ATTACK_CELLS.length + STRUCTURE_TESTS;

describe(`security matrix (PGlite): ${TOTAL} generated cases`, () => {
  const jwtKey = randomBytes(32);
  const t = useTestApp({ settings: { JWT_SECRET: jwtKey.toString('base64'), WRITES_PER_MINUTE: '100000' } });
  let agencies: Record<AgencyKey, string>;
  const apiKeys = new Map<string, string>();
  const attackAuth = new Map<Attack, string | undefined>();
  let controlToken: string;
  let counter = 0;
  const unique = () => `${process.pid}-${++counter}`;
  const started = Date.now();
  let documented: OpenApiContract | undefined;
  const contract = () => (documented ??= new OpenApiContract(openApiDocument(t.app)));

  // --- HTTP helpers ---

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, authorization?: string, body?: object): Promise<Response> => {
    let request = method === 'GET' ? t.http.get(url) : method === 'PUT' ? t.http.put(url) : t.http.post(url);
    if (authorization !== undefined) request = request.set('Authorization', authorization);
    return body ? request.send(body) : request;
  };
  const bearer = async (username: string) => `Bearer ${await t.token(username)}`;
  const authOf = async (caller: Caller) => (caller.username ? bearer(caller.username) : apiKeys.get(caller.label)!);

  /** A setup step that must succeed. */
  async function must(status: number, method: 'GET' | 'POST', url: string, username: string, body?: object) {
    const response = await send(method, url, await bearer(username), body);
    if (response.status !== status)
      throw new Error(`setup: ${method} ${url} as ${username} gave ${response.status}, not ${status}: ${response.text.slice(0, 300)}`);
    return response.body;
  }

  async function insertUser(username: string, agencyId: string, role: string): Promise<string> {
    const id = randomUUID();
    // As the demo seed does (src/identity/demo-network.ts), with the demo users' password.
    await t.db.query(
      `INSERT INTO users (id, username, display_name, agency_id, role, password_hash)
       SELECT $1::uuid, $2::text, $2::text, $3::uuid, $4::text, password_hash FROM users WHERE username = 'caseworker.social'`,
      [id, username, agencyId, role],
    );
    return id;
  }

  /** An organization an HSDS import listed outside the network (src/directory/directory.schema.ts). */
  async function insertListedOrganization(name: string): Promise<string> {
    const id = randomUUID();
    await t.db.query('INSERT INTO directory_listed_organizations (id, name) VALUES ($1, $2)', [id, name]);
    return id;
  }

  async function insertAgency(name: string, kind: string): Promise<string> {
    const id = randomUUID();
    await t.db.query('INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3)', [id, name, kind]);
    return id;
  }

  /** A partner system's key, issued through the API by an admin of the agency. */
  const issueKey = async (admin: string, actions?: readonly string[]) =>
    must(201, 'POST', '/agency/api-keys', admin, { name: `matrix key ${unique()}`, ...(actions ? { actions } : {}) }) as Promise<{
      id: string;
      key: string;
    }>;

  /** What a refusal must not change: events, reads of personal data, users, agencies, keys, the service directory. */
  const sideEffects = async () =>
    (
      await t.db.query<Record<string, number | string>>(`SELECT
      (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM personal_data_access)::int AS reads,
      (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM users WHERE active)::int AS active_users,
      (SELECT count(*) FROM agencies)::int AS agencies, (SELECT count(*) FROM agencies WHERE active)::int AS active_agencies,
      (SELECT count(*) FROM api_keys)::int AS keys, (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL)::int AS live_keys,
      (SELECT md5(concat((SELECT string_agg(s::text, ',' ORDER BY s.id) FROM directory_services s),
        (SELECT string_agg(p::text, ',' ORDER BY p.agency_id) FROM directory_agency_profiles p)))) AS directory`)
    )[0];

  // --- fixtures ---

  const fill = (path: string, params: Readonly<Record<string, string>>) =>
    path.replace(/:(\w+)/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`no fixture value for :${name} in ${path}`);
      return encodeURIComponent(params[name]);
    });

  /** A child's case in `context` relative to `agency`, brought into `state`, and checked to be in it. */
  async function buildCase(context: Context, agency: AgencyKey, state: CaseState, proposer?: string): Promise<Fixture> {
    const owner = context.relation === 'owner' ? agency : OTHER_AGENCY;
    const recipient = context.relation === 'recipient' ? agency : THIRD_AGENCY;
    const opener = OPENER[owner]!;
    const tag = unique();
    const base = (caseId: string) => `/cases/${caseId}`;
    const { caseId } = await must(201, 'POST', '/cases', opener, childCase(tag));
    const { consentId } = await must(201, 'POST', `${base(caseId)}/consents`, opener, {
      grantor: 'guardian',
      childAssent: true,
      method: 'verbal',
      language: 'kr',
      interpreterUsed: true,
      noticeVersion: 'matrix-1',
      provisions: [{ recipient: { agencyId: agencies[recipient] }, purpose: 'case_management', categories: ['identity', 'case_progress'] }],
    });
    const { referralId } = await must(201, 'POST', `${base(caseId)}/referrals`, opener, {
      toAgencyId: agencies[recipient],
      purpose: 'case_management',
      sharedCategories: ['identity'],
      note: `${MARKERS.referralNote} ${tag}`,
    });
    const { determinationId } = await must(
      201,
      'POST',
      `${base(caseId)}/best-interests-determinations`,
      state.proposedByCaller ? proposer! : opener,
      {
        scope: [
          {
            recipient: { agencyId: agencies[THIRD_AGENCY] },
            purpose: 'case_management',
            categories: ['identity'],
            validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        ],
        reasons: `${MARKERS.determinationReasons} ${tag}`,
      },
    );
    for (const flag of state.flags) await must(200, 'POST', `${base(caseId)}/safety-flags`, opener, { flag });
    if (state.referral === 'acknowledged' || state.referral === 'accepted')
      await must(200, 'POST', `${base(caseId)}/referrals/${referralId}/acknowledge`, OPENER[recipient]!);
    if (state.referral === 'accepted') await must(200, 'POST', `${base(caseId)}/referrals/${referralId}/accept`, OPENER[recipient]!);
    if (state.consent === 'withdrawn') await must(200, 'POST', `${base(caseId)}/consents/${consentId}/withdrawal`, opener, {});
    if (state.caseStatus === 'paused') await must(200, 'POST', `${base(caseId)}/interruption`, opener, { reason: 'lost_contact' });
    if (state.caseStatus === 'closed') await must(200, 'POST', `${base(caseId)}/closure`, opener, { reason: 'other' });

    // The expectations assume this state: check it through the owner's view.
    const view = await must(200, 'GET', base(caseId), opener);
    const provision = view.consents.find((c: { consentId: string }) => c.consentId === consentId).provisions[0];
    expect({
      caseStatus: view.status,
      referral: view.referrals.find((r: { referralId: string }) => r.referralId === referralId).status,
      consent: provision.status === 'withdrawn' ? 'withdrawn' : 'live',
      determination: view.determinations[0].status,
      flags: view.safetyFlags,
    }).toEqual({
      caseStatus: state.caseStatus,
      referral: state.referral,
      consent: state.consent,
      determination: state.determination,
      flags: state.flags,
    });
    return {
      params: { caseId, consentId, referralId, determinationId, flag: 'no_phone_contact', requestId: randomUUID() },
      agencies,
      unique: tag,
    };
  }

  const sharedCases = new Map<string, Promise<Fixture>>();
  const proposerOf = (cell: Pick<Cell, 'context' | 'caller'>) => (cell.context.key === 'ownProposal' ? cell.caller.username : undefined);

  /** Users, keys and agencies are cheap: each cell gets its own, so a success spoils nothing. */
  async function buildTarget(context: Context, caller: Caller): Promise<Fixture> {
    const other: AgencyKey = caller.agency === OTHER_AGENCY ? THIRD_AGENCY : OTHER_AGENCY;
    const tag = unique();
    const params: Record<string, string> = {};
    switch (context.key) {
      case 'ownUser':
        params.userId = await insertUser(`matrix.target.${tag}`, agencies[caller.agency], 'caseworker');
        break;
      case 'otherUser':
        params.userId = await insertUser(`matrix.target.${tag}`, agencies[other], 'caseworker');
        break;
      case 'self':
        params.userId = (await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [caller.username]))[0]!.id;
        break;
      case 'ownKey':
        params.keyId = (await issueKey(ADMIN[caller.agency]!)).id;
        break;
      case 'otherKey':
        params.keyId = (await issueKey(ADMIN[other]!)).id;
        break;
      case 'otherAgency':
        params.agencyId = await insertAgency(`Matrix throwaway agency ${tag}`, 'un_agency');
        break;
      case 'ownAgency':
        params.agencyId = agencies[caller.agency];
        break;
      case 'none':
        params.organizationId = await insertListedOrganization(`Matrix listed organization ${tag}`);
        break;
    }
    if (context.scope === 'agency') params.serviceId = await offerService(t.db, params.agencyId!);
    return { params, agencies, unique: tag };
  }

  async function fixtureFor(cell: Pick<Cell, 'caller' | 'context' | 'state' | 'fresh'>): Promise<Fixture> {
    const { context, caller } = cell;
    if (context.scope !== 'case') return buildTarget(context, caller);
    if (cell.fresh) return buildCase(context, caller.agency, cell.state!, proposerOf(cell));
    const key = `${context.key}|${caller.agency}|${proposerOf(cell) ?? ''}`;
    if (!sharedCases.has(key)) sharedCases.set(key, buildCase(context, caller.agency, context.state!, proposerOf(cell)));
    return sharedCases.get(key)!;
  }

  // --- the checks every answer gets ---

  const markersIn = (text: string) => [...new Set(text.match(MARKER_PATTERN) ?? [])];
  const codes = (markers: readonly Marker[]): string[] => markers.map((m) => MARKERS[m]);

  function expectProblem(response: Response, status: number) {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\/referrals\.example\.org\/problems\/[a-z-]+$/),
      title: expect.any(String),
    });
  }

  // --- setup ---

  beforeAll(async () => {
    const directory = (
      await t.http
        .get('/directory/agencies')
        .set('Authorization', await bearer('caseworker.social'))
        .expect(200)
    ).body as Array<{ id: string; kind: string }>;
    agencies = Object.fromEntries(
      Object.entries(AGENCY_KINDS_BY_KEY).map(([key, kind]) => [key, directory.find((a) => a.kind === kind)!.id]),
    ) as Record<AgencyKey, string>;
    for (const agency of ['social', 'shelter', 'justice', 'clinic'] as const)
      await insertUser(OPENER[agency]!, agencies[agency], 'caseworker');
    for (const agency of ['justice', 'clinic'] as const) await insertUser(ADMIN[agency]!, agencies[agency], 'agency_admin');
    for (const caller of CALLERS)
      if (caller.apiKey) apiKeys.set(caller.label, `ApiKey ${(await issueKey(ADMIN[caller.agency]!, caller.apiKey.actions)).key}`);

    // Tokens for the attacks: hand-signed with the configured key, so each differs from a good one in one respect.
    const real = await t.token('caseworker.social');
    const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const good = {
      sub: claims.sub,
      agency: claims.agency,
      role: claims.role,
      iat: now,
      exp: now + 600,
      aud: TOKEN_AUDIENCE,
      iss: TOKEN_ISSUER,
    };
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const sign = (payload: object, { alg = 'HS256', key = jwtKey }: { alg?: string; key?: Buffer } = {}) => {
      const input = `${part({ alg, typ: 'JWT' })}.${part(payload)}`;
      return `Bearer ${input}.${createHmac(alg === 'HS512' ? 'sha512' : 'sha256', key)
        .update(input)
        .digest('base64url')}`;
    };
    attackAuth.set('no token', undefined);
    attackAuth.set('alg none', `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(good)}.`);
    attackAuth.set('a token signed with a wrong key', sign(good, { key: randomBytes(32) }));
    attackAuth.set('an expired token', sign({ ...good, iat: now - 7200, exp: now - 3600 }));
    attackAuth.set('a wrong audience', sign({ ...good, aud: 'another-api' }));
    attackAuth.set('a wrong issuer', sign({ ...good, iss: 'https://issuer.example' }));
    attackAuth.set('HS512 with the right key', sign(good, { alg: 'HS512' }));
    attackAuth.set('a role claim the user does not have', sign({ ...good, role: 'supervisor' }));
    attackAuth.set('a malformed bearer token', 'Bearer not.a.token');
    // The control: the same hand-signing, every claim right, is accepted.
    controlToken = sign(good);

    await insertUser('matrix.deactivated', agencies.social, 'caseworker');
    attackAuth.set('a token of a deactivated user', await bearer('matrix.deactivated'));
    await t.db.query(`UPDATE users SET active = false WHERE username = 'matrix.deactivated'`);

    const goneAgency = await insertAgency('Matrix agency deactivated for the attacks', 'international_ngo');
    await insertUser('matrix.gone.caseworker', goneAgency, 'caseworker');
    await insertUser('matrix.gone.admin', goneAgency, 'agency_admin');
    attackAuth.set('a token of a user of a deactivated agency', await bearer('matrix.gone.caseworker'));
    attackAuth.set('an API key of a deactivated agency', `ApiKey ${(await issueKey('matrix.gone.admin')).key}`);
    await t.db.query('UPDATE agencies SET active = false WHERE id = $1', [goneAgency]);

    const revoked = await issueKey(ADMIN.shelter!);
    await must(200, 'POST', `/agency/api-keys/${revoked.id}/revocation`, 'admin.shelter');
    attackAuth.set('a revoked API key', `ApiKey ${revoked.key}`);
    const whole = apiKeys.get('partner_system (API key)')!;
    attackAuth.set('an API key with a wrong secret', whole.slice(0, -4) + (whole.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
  });

  afterAll(() => {
    console.info(
      `security matrix: ${TOTAL} generated cases = ${CELLS.length} route x caller x context cells + ${NOT_FOUND_CELLS.length} not-found indistinguishability checks` +
        ` + ${ATTACK_CELLS.length} token attacks + ${STRUCTURE_TESTS} route-table and log checks (${PROTECTED_ROUTES.length} protected routes, ${CALLERS.length} callers); ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  // --- the route table matches the application ---

  describe('the spec table', () => {
    /** Method and path of every route Express serves (Nest's controllers and Swagger's pages). */
    const servedRoutes = (app: INestApplication): string[] => {
      const instance = app.getHttpAdapter().getInstance();
      const router = instance.router ?? instance._router;
      const routes = (router.stack as Array<{ route?: { path: unknown; methods: Record<string, boolean> } }>)
        .filter((layer) => layer.route)
        .flatMap((layer) =>
          Object.keys(layer.route!.methods)
            .filter((m) => m !== '_all')
            .map((m) => `${m.toUpperCase()} ${String(layer.route!.path)}`),
        );
      return [...new Set(routes)].sort();
    };

    /** Every controller handler with the action its @Allow names and whether it is @Public(). */
    const handlers = (app: INestApplication) => {
      const found: Array<{ route: string; action?: string; isPublic: boolean }> = [];
      const join = (...parts: unknown[]) =>
        `/${parts
          .map((p) => String(Array.isArray(p) ? p[0] : (p ?? '')).replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`;
      for (const module of app.get(ModulesContainer).values()) {
        for (const wrapper of module.controllers.values()) {
          const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
          if (!type) continue;
          for (const name of Object.getOwnPropertyNames(type.prototype)) {
            const handler = (type.prototype as Record<string, unknown>)[name];
            if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined)
              continue;
            const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
            found.push({
              route: `${method} ${join(Reflect.getMetadata(PATH_METADATA, type), Reflect.getMetadata(PATH_METADATA, handler))}`,
              action: Reflect.getMetadata(ROUTE_ACTION, handler) ?? Reflect.getMetadata(ROUTE_ACTION, type),
              isPublic: Boolean(Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, type)),
            });
          }
        }
      }
      return found;
    };

    it('declares every route the application serves, and no route it does not serve', () => {
      const served = servedRoutes(t.app);
      const declared = PROTECTED_ROUTES.map(routeName);
      const withoutSpec = served.filter((route) => {
        const [method, path] = route.split(' ');
        return !isPublic(method!, path!) && !declared.includes(route);
      });
      const notServed = [
        ...declared.filter((route) => !served.includes(route)),
        ...PUBLIC_ROUTES.filter(
          (p) =>
            !served.some((route) => {
              const [method, path] = route.split(' ');
              return (
                method === p.method &&
                isPublic(method, path!) &&
                (p.path.endsWith('*') ? path!.startsWith(p.path.slice(0, -1)) : path === p.path)
              );
            }),
        ).map(routeName),
      ];
      if (withoutSpec.length > 0 || notServed.length > 0) {
        throw new Error(
          [
            ...(withoutSpec.length
              ? [
                  `Routes without a security spec (add each to PROTECTED_ROUTES or PUBLIC_ROUTES in test/support/route-specs.ts):`,
                  ...withoutSpec.map((r) => `  ${r}`),
                ]
              : []),
            ...(notServed.length
              ? ['Specs of routes the application does not serve (remove or correct them):', ...notServed.map((r) => `  ${r}`)]
              : []),
          ].join('\n'),
        );
      }
    });

    it('names for every protected route the action its @Allow() names, and marks @Public() exactly the routes declared public', () => {
      const problems = handlers(t.app).flatMap(({ route, action, isPublic: open }) => {
        const [method, path] = route.split(' ');
        const spec = PROTECTED_ROUTES.find((r) => routeName(r) === route);
        if (open !== isPublic(method!, path!))
          return [`${route}: ${open ? '@Public() but not declared public' : 'declared public but not @Public()'}`];
        if (open) return [];
        if (!spec) return [`${route}: no spec`];
        if (!action) return [`${route}: no @Allow() (PermissionGuard refuses everyone)`];
        return spec.action === action ? [] : [`${route}: @Allow('${action}') but the spec says '${spec.action}'`];
      });
      expect(problems).toEqual([]);
    });

    it('keeps personal data from auditors, network coordinators and agency admins, whatever else the permission table grants', () => {
      for (const role of ['auditor', 'network_coordinator', 'agency_admin'])
        expect({ role, reads: (PERMISSIONS['case.read'] as readonly string[]).includes(role) }).toEqual({ role, reads: false });
    });

    it("accepts the hand-signed token when every claim is right, and the partner system's key (the controls of the attacks below)", async () => {
      await t.http.get('/directory/agencies').set('Authorization', controlToken).expect(200);
      await t.http.get('/referrals').set('Authorization', apiKeys.get('partner_system (API key)')!).expect(200);
    });

    it('generates every cell with a distinct title and a fixture it can build', () => {
      expect(new Set(CELLS.map((c) => c.title)).size).toBe(CELLS.length);
      expect(CELLS.filter((c) => c.context.scope === 'case' && !c.state)).toEqual([]);
    });
  });

  // --- every route x every caller x every context ---

  describe(`${CELLS.length} route x caller x context cells`, () => {
    it.each(CELLS.map((cell) => [cell.title, cell] as const))('%s', async (_title, cell) => {
      const fixture = await fixtureFor(cell);
      const url = fill(cell.route.path, fixture.params) + (cell.route.query ?? '');
      const authorization = await authOf(cell.caller);
      const body = cell.route.body?.(fixture);
      const before = await sideEffects();
      const response = await send(cell.route.method, url, authorization, body);
      if (response.status !== cell.status) {
        throw new Error(`expected ${cell.status} (${cell.why}), got ${response.status}: ${response.text.slice(0, 500)}`);
      }
      // What the screens' typed client is generated from must say what really comes back.
      contract().expectDocumented(cell.route.method, cell.route.path, response);
      const allowed = response.status < 400 ? codes(cell.route.reveals?.(cell.context) ?? []) : [];
      expect({ personalData: markersIn(response.text).filter((m) => !allowed.includes(m)) }).toEqual({ personalData: [] });
      if (response.status >= 400) {
        expectProblem(response, cell.status);
        expect(await sideEffects()).toEqual(before); // nothing written, no read of personal data recorded
        return;
      }
      await cell.route.verify?.({
        response: { status: response.status, body: response.body, headers: response.headers },
        fixture,
        context: cell.context,
        caller: cell.caller,
        callerAgencyId: agencies[cell.caller.agency],
        query: (sql, params) => t.db.query(sql, params),
        listAll: async (path) => {
          const items: Array<Record<string, string>> = [];
          for (let cursor: string | undefined, page = 0; page === 0 || cursor; page++) {
            const listed = (await send('GET', `${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, authorization)).body as {
              items: Array<Record<string, string>>;
              nextCursor?: string;
            };
            items.push(...listed.items);
            cursor = listed.nextCursor;
          }
          return items;
        },
      });
    });
  });

  describe(`${NOT_FOUND_CELLS.length} not-found answers that must not tell the thing exists`, () => {
    it.each(NOT_FOUND_CELLS.map((cell) => [`${cell.title.replace(/ -> 404$/, '')}: reads as for one that does not exist`, cell] as const))(
      '%s',
      async (_title, cell) => {
        const fixture = await fixtureFor(cell);
        const authorization = await authOf(cell.caller);
        const answer = async (params: Readonly<Record<string, string>>) => {
          const response = await send(
            cell.route.method,
            fill(cell.route.path, params) + (cell.route.query ?? ''),
            authorization,
            cell.route.body?.(fixture),
          );
          const { status, type, title, detail } = response.body as Record<string, unknown>;
          return { status, type, title, detail };
        };
        const existing = await answer(fixture.params);
        const missing = await answer({ ...fixture.params, [cell.route.target!]: randomUUID() });
        expect(existing).toEqual(missing);
      },
    );
  });

  // --- token attacks, on every protected route ---

  describe(`${ATTACK_CELLS.length} token attacks`, () => {
    let fixture: Fixture;
    beforeAll(async () => {
      const own = await fixtureFor({
        caller: CALLERS.find((c) => c.username === 'caseworker.social')!,
        context: CONTEXTS.own,
        state: CONTEXTS.own.state,
        fresh: false,
      });
      // Never a real user, key or agency: should an attack get through, it changes nothing the other cells use.
      fixture = {
        ...own,
        params: {
          ...own.params,
          userId: randomUUID(),
          keyId: randomUUID(),
          agencyId: randomUUID(),
          serviceId: randomUUID(),
          organizationId: randomUUID(),
        },
      };
    });

    it.each(ATTACK_CELLS.map((cell) => [cell.title, cell] as const))('%s', async (_title, { route, attack }) => {
      const before = await sideEffects();
      const response = await send(
        route.method,
        fill(route.path, fixture.params) + (route.query ?? ''),
        attackAuth.get(attack),
        route.body?.(fixture),
      );
      expect(response.status).toBe(401);
      expectProblem(response, 401);
      expect(markersIn(response.text)).toEqual([]);
      expect(await sideEffects()).toEqual(before);
    });
  });

  describe('after every cell', () => {
    it('logged no personal value, refused requests included', () => {
      expect(markersIn(t.logs.lines.join('\n'))).toEqual([]);
    });
  });
});
