/**
 * The security spec of every HTTP route, from which test/security-matrix.e2e.spec.ts generates its
 * cases: every protected route x every caller x every context, with the expected status computed
 * by `expectationFor` from the permission table (src/identity/roles.ts), the case relation the route
 * needs (derived from the decider's guards in libs/domain/src/case/ and the case reader in src/cases/case-reader.service.ts) and the state
 * of the case. Nothing here is a hand-picked status.
 *
 * TO ADD A ROUTE: add one entry to PROTECTED_ROUTES (or PUBLIC_ROUTES), with the action it names in
 * @Allow, who may act in terms of relation (`who`), a valid body, and for case routes the state rule
 * the decider applies (`allowedIn`), plus `needs` when success needs a state the standard fixture is
 * not in. The matrix fails until the table matches the application's real routes and actions.
 */
import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { termId } from '../../src/directory/hsds.js';
import { isJudicialAgency } from '../../libs/consent-policy/index.js';
import { type Action, type Role, mayPerform } from '../../src/identity/roles.js';

// ---------------------------------------------------------------------------------------------
// Who calls
// ---------------------------------------------------------------------------------------------

/** Agencies of the demo network the matrix uses (src/identity/demo-network.ts), by the kind that names each one. */
export const AGENCY_KINDS_BY_KEY = {
  social: 'government_social_service',
  justice: 'prosecution',
  shelter: 'shelter',
  clinic: 'health',
  legal: 'legal_aid',
  ngo: 'national_ngo',
} as const;
export type AgencyKey = keyof typeof AGENCY_KINDS_BY_KEY;

export interface Caller {
  /** As it appears in test titles. */
  readonly label: string;
  readonly role: Role;
  readonly agency: AgencyKey;
  /** A demo user signing in with a password (bearer token). */
  readonly username?: string;
  /** Or a partner system's API key issued to `agency` by its admin, optionally narrowed to some actions. */
  readonly apiKey?: { readonly actions?: readonly Action[] };
}

/** One caller per role (the demo users), plus partner systems with API keys, whole and narrowed. */
export const CALLERS: readonly Caller[] = [
  { label: 'frontline_worker', role: 'frontline_worker', agency: 'social', username: 'frontline.social' },
  { label: 'caseworker', role: 'caseworker', agency: 'social', username: 'caseworker.social' },
  { label: 'supervisor', role: 'supervisor', agency: 'social', username: 'supervisor.social' },
  { label: 'agency_admin', role: 'agency_admin', agency: 'social', username: 'admin.social' },
  { label: 'network_coordinator', role: 'network_coordinator', agency: 'justice', username: 'coordinator.justice' },
  { label: 'auditor', role: 'auditor', agency: 'justice', username: 'auditor.justice' },
  { label: 'partner_system', role: 'partner_system', agency: 'shelter', username: 'partner.shelter' },
  { label: 'partner_system (API key)', role: 'partner_system', agency: 'shelter', apiKey: {} },
  {
    label: 'partner_system (API key narrowed to case.read)',
    role: 'partner_system',
    agency: 'shelter',
    apiKey: { actions: ['case.read'] },
  },
];

/** PermissionGuard: the role must be listed for the action, and a narrowed API key must name it. */
export const callerMay = (caller: Caller, action: Action): boolean =>
  mayPerform(caller.role, action) && (!caller.apiKey?.actions || caller.apiKey.actions.includes(action));

// ---------------------------------------------------------------------------------------------
// In which context
// ---------------------------------------------------------------------------------------------

/**
 * The fixture case is a child's, referred on a guardian's consent: that never reaches a
 * law-enforcement or prosecution agency (only a best-interests determination can), so callers of
 * such an agency (the coordinator and auditor at the Ministry of Justice) are not put in it.
 */
const reachableOnConsent = (caller: Caller) => !isJudicialAgency(AGENCY_KINDS_BY_KEY[caller.agency]);

export type ReferralState = 'requested' | 'acknowledged' | 'accepted' | 'withdrawn';

/** What the fixture case is like; the fixture builder produces it and checks it through the owner's view. */
export interface CaseState {
  readonly caseStatus: 'open' | 'paused' | 'closed';
  /** The fixture's one referral: to the caller's agency in `recipient` contexts, else to a third agency. */
  readonly referral: ReferralState;
  /** The consent the referral relies on. */
  readonly consent: 'live' | 'withdrawn';
  /** Every fixture's is proposed; approving or rejecting it is allowed only then. */
  readonly determination: 'proposed' | 'approved' | 'rejected';
  readonly flags: readonly string[];
  /** The best-interests determination was proposed by the caller (else by another caseworker of the owner). */
  readonly proposedByCaller: boolean;
}

/** Every fixture case is a child's (so best-interests routes apply) with a raised no_phone_contact flag. */
const STANDARD: CaseState = {
  caseStatus: 'open',
  referral: 'requested',
  consent: 'live',
  determination: 'proposed',
  flags: ['no_phone_contact'],
  proposedByCaller: false,
};

export type Scope = 'case' | 'none' | 'user' | 'api-key' | 'agency';
/** How the caller's agency stands to the thing the route addresses. */
export type Relation = 'owner' | 'stranger' | 'recipient' | 'own' | 'other' | 'self' | 'none';

export interface Context {
  readonly key: string;
  readonly scope: Scope;
  /** As it appears in test titles. */
  readonly title: string;
  readonly relation: Relation;
  readonly state?: CaseState;
  /** Facts that define the context, which a route's `needs` cannot change. */
  readonly fixed?: ReadonlyArray<keyof CaseState>;
  readonly realizableFor?: (caller: Caller) => boolean;
}

export const CONTEXTS = {
  // (a) a case owned by the caller's agency
  own: { key: 'own', scope: 'case', title: "case of the caller's agency", relation: 'owner', state: STANDARD },
  // (a') the same, closed: the decider's state rules give 409 where they forbid the step
  ownClosed: {
    key: 'ownClosed',
    scope: 'case',
    title: "closed case of the caller's agency",
    relation: 'owner',
    state: { ...STANDARD, caseStatus: 'closed', referral: 'withdrawn' },
    fixed: ['caseStatus', 'referral'],
  },
  // (a'') for the second pair of eyes on a child's best-interests determination
  ownProposal: {
    key: 'ownProposal',
    scope: 'case',
    title: "case of the caller's agency, determination proposed by the caller",
    relation: 'owner',
    state: { ...STANDARD, proposedByCaller: true },
    fixed: ['proposedByCaller'],
    realizableFor: (caller) => caller.username !== undefined && callerMay(caller, 'best-interests.propose'),
  },
  // (b) a case of another agency, never referred to the caller's agency
  other: { key: 'other', scope: 'case', title: 'case of another agency', relation: 'stranger', state: STANDARD },
  // (c) referred to the caller's agency, then the consent was withdrawn (which withdrew the referral)
  withdrawn: {
    key: 'withdrawn',
    scope: 'case',
    title: "case referred to the caller's agency, consent withdrawn",
    relation: 'recipient',
    state: { ...STANDARD, referral: 'withdrawn', consent: 'withdrawn' },
    fixed: ['referral', 'consent'],
    realizableFor: (caller) => reachableOnConsent(caller),
  },
  // (d) referred to the caller's agency under live consent
  live: {
    key: 'live',
    scope: 'case',
    title: "case referred to the caller's agency under live consent",
    relation: 'recipient',
    state: STANDARD,
    fixed: ['consent'],
    realizableFor: (caller) => reachableOnConsent(caller),
  },
  none: { key: 'none', scope: 'none', title: '', relation: 'none' },
  ownUser: { key: 'ownUser', scope: 'user', title: "user of the caller's agency", relation: 'own' },
  otherUser: { key: 'otherUser', scope: 'user', title: 'user of another agency', relation: 'other' },
  self: {
    key: 'self',
    scope: 'user',
    title: 'the caller themself',
    relation: 'self',
    realizableFor: (caller) => caller.username !== undefined,
  },
  ownKey: { key: 'ownKey', scope: 'api-key', title: "API key of the caller's agency", relation: 'own' },
  otherKey: { key: 'otherKey', scope: 'api-key', title: 'API key of another agency', relation: 'other' },
  otherAgency: { key: 'otherAgency', scope: 'agency', title: 'another member agency', relation: 'other' },
  ownAgency: { key: 'ownAgency', scope: 'agency', title: "the caller's own agency", relation: 'own' },
} as const satisfies Record<string, Context>;
export type ContextKey = keyof typeof CONTEXTS;

const CASE_CONTEXTS: readonly ContextKey[] = ['own', 'ownClosed', 'other', 'withdrawn', 'live'];
const DEFAULT_CONTEXTS: Readonly<Record<Scope, readonly ContextKey[]>> = {
  case: CASE_CONTEXTS,
  none: ['none'],
  user: ['ownUser', 'otherUser', 'self'],
  'api-key': ['ownKey', 'otherKey'],
  agency: ['otherAgency', 'ownAgency'],
};

// ---------------------------------------------------------------------------------------------
// Personal data, made recognisable
// ---------------------------------------------------------------------------------------------

/**
 * Every fictional personal value the matrix sends contains one of these markers, so a response can
 * be searched for any of them: refused requests must carry none, successes only what they may show.
 */
export const MARKERS = {
  identity: 'ZQXN',
  contact: 'ZQXP',
  location: 'ZQXL',
  demographics: 'ZQXD',
  referralNote: 'ZQXR',
  determinationReasons: 'ZQXB',
  interruptionNote: 'ZQXI',
  declineNote: 'ZQXE',
  outcome: 'ZQXO',
  casePlan: 'ZQXC',
  safetyPlan: 'ZQXS',
} as const;
export type Marker = keyof typeof MARKERS;
export const ALL_MARKERS = Object.keys(MARKERS) as Marker[];
export const MARKER_PATTERN = /ZQX[A-Z]/g;

/** A child's case with a value in every personal category; `tag` makes the values of each case distinct. */
/** A public key an agency admin registers for its feed (any valid one: the matrix never decrypts). */
const MATRIX_FEED_KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'F7-NIO8skEbyghErPhYWoSpqaOE3xCgqBRpIu0CqMWw',
  y: 'kOfivdaPS3Pw9RwCh42YKypALIvFs2ldXiIQ7K8x9cA',
};

export const childCase = (tag: string) => ({
  source: 'observation',
  ageGroup: 'child',
  indicators: ['work.forced_to_work'],
  person: {
    identity: { fullName: `${MARKERS.identity} Hadiza ${tag}`, otherNames: [`${MARKERS.identity} Dizzy ${tag}`] },
    contact: { phone: `${MARKERS.contact}-0800-${tag}`, safeToContact: false, safeContactNotes: `${MARKERS.contact} via the aunt ${tag}` },
    location: { area: `${MARKERS.location} Camp ${tag}` },
    demographics: { sex: 'female', ageBand: '15-17', nationality: `${MARKERS.demographics}land ${tag}` },
  },
});

// ---------------------------------------------------------------------------------------------
// What a route is
// ---------------------------------------------------------------------------------------------

/** What a fixture gives a route: path parameters, agency ids, a unique token for names. */
export interface Fixture {
  readonly params: Readonly<Record<string, string>>;
  readonly agencies: Readonly<Record<AgencyKey, string>>;
  readonly unique: string;
}

/** What a route's `verify` gets after a successful call, besides the response. */
export interface Probe {
  readonly response: { readonly status: number; readonly body: any; readonly headers: Record<string, string | undefined> };
  readonly fixture: Fixture;
  readonly context: Context;
  readonly caller: Caller;
  readonly callerAgencyId: string;
  /** Every item a paged list (GET /cases, GET /referrals) gives the caller, through all pages. */
  listAll(path: string): Promise<Array<Record<string, string>>>;
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
}

/**
 * Who may act, in terms of relation, once the role may perform the action:
 * - any-agency: no relation (lists and directory scope themselves to the caller's agency)
 * - case-reader: the owning agency or an agency the case was referred to (CaseReader.view); anyone else 404
 * - case-owner: the owning agency (decider requireOwner): an agency that knows the case through a
 *   referral gets 403, one that does not know it 404
 * - referral-receiver: the referral's receiving agency (decider respondToReferral): the owner 403, others 404
 * - referral-sender: the owner; the referral's own recipient 403 (decider withdrawReferral), others as case-owner
 * - any-case: no agency relation (auditors read every case's trail)
 * - own-agency-target: a user, key or service of the caller's agency; another agency's 404
 * - service-maintainer: the caller's own agency or its services; whoever may manage the directory any agency's; another agency's 404
 * - other-agency-target: another agency than the caller's; its own 422
 */
export type Who =
  | 'any-agency'
  | 'case-reader'
  | 'case-owner'
  | 'referral-receiver'
  | 'referral-sender'
  | 'any-case'
  | 'own-agency-target'
  | 'other-agency-target'
  | 'service-maintainer';

export interface Outcome {
  readonly status: number;
  readonly why: string;
}

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Express-style template, exactly as the app registers it. */
  readonly path: string;
  readonly action: Action;
  readonly scope: Scope;
  readonly who: Who;
  readonly success: 200 | 201 | 204;
  readonly query?: string;
  readonly body?: (f: Fixture) => object;
  /** Case routes: the decider's state rule; a state outside it gets 409. */
  readonly allowedIn?: (s: CaseState) => boolean;
  /** Case routes: the state success needs, when the standard fixture is not in it (e.g. paused for resumption). */
  readonly needs?: Partial<CaseState>;
  /** A rule the domain applies after the state rule (e.g. the proposer may not approve). */
  readonly finally?: (context: Context, state: CaseState | undefined, caller: Caller) => Outcome | undefined;
  /** Contexts to generate instead of the scope's default ones. */
  readonly contexts?: readonly ContextKey[];
  /** Personal data a success may show, by context; nothing by default. */
  readonly reveals?: (context: Context) => readonly Marker[];
  /** Further checks of a success. */
  readonly verify?: (probe: Probe) => Promise<void>;
  /** The path parameter naming what the relation is to: a 404 must read the same as for one that does not exist. */
  readonly target?: 'caseId' | 'userId' | 'keyId' | 'serviceId';
  /** Default: any method but GET. A success that changes state gets a fresh fixture, so it spoils no other cell. */
  readonly mutates?: boolean;
}

export interface PublicRoute {
  readonly method: 'GET' | 'POST';
  /** A trailing `*` matches any path with that beginning. */
  readonly path: string;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  { method: 'GET', path: '/health*' },
  { method: 'GET', path: '/metrics' },
  { method: 'POST', path: '/auth/token' },
  { method: 'POST', path: '/auth/password' },
  { method: 'POST', path: '/auth/refresh' },
  { method: 'POST', path: '/auth/logout' },
  // Whether the screens offer "sign in with your organisation", and with which provider (read before signing in).
  { method: 'GET', path: '/auth/oidc' },
  { method: 'GET', path: '/api/docs*' },
  // The public key consent receipts are signed with (src/receipts).
  { method: 'GET', path: '/.well-known/jwks.json' },
  // The pages problem type URIs resolve to (src/problems): a caller who is not signed in gets problems too.
  { method: 'GET', path: '/problems*' },
];

const openOrPaused = (s: CaseState) => s.caseStatus !== 'closed';
const directoryService = (f: Fixture) => ({
  name: `Matrix service ${f.unique}`,
  serviceType: 'shelter',
  status: 'active',
  areas: ['Maiduguri'],
  eligibility: { childrenAccepted: true },
  capacity: { total: 3, available: 1 },
});
const isOpenReferral = (s: CaseState) => ['requested', 'acknowledged', 'accepted'].includes(s.referral);
const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** The coordinator's own agency is a prosecution one, which offers nothing through the network (libs/domain mayOffer). */
const judicialOffer = (context: Context, _state: CaseState | undefined, caller: Caller): Outcome | undefined =>
  context.relation === 'own' && isJudicialAgency(AGENCY_KINDS_BY_KEY[caller.agency])
    ? { status: 422, why: 'mayOffer: a law-enforcement or prosecution agency offers no such service' }
    : undefined;

/** Owner-only case writes: requireOwner first, then the state (libs/domain/src/case/guards.ts). */
const ownerWrite = (path: string, action: Action, rest: Partial<RouteSpec> & Pick<RouteSpec, 'allowedIn'>): RouteSpec => ({
  method: 'POST',
  path,
  action,
  scope: 'case',
  who: 'case-owner',
  success: 200,
  target: 'caseId',
  ...rest,
});

/** Responses of the receiving agency (decider respondToReferral, RESPONSE_FROM). */
const response = (verb: string, from: readonly ReferralState[], rest: Partial<RouteSpec> = {}): RouteSpec => ({
  method: 'POST',
  path: `/cases/:caseId/referrals/:referralId/${verb}`,
  action: 'referral.respond',
  scope: 'case',
  who: 'referral-receiver',
  success: 200,
  target: 'caseId',
  allowedIn: (s) => from.includes(s.referral),
  ...rest,
});

export const PROTECTED_ROUTES: readonly RouteSpec[] = [
  // --- directory and administration (src/identity) ---
  { method: 'GET', path: '/directory/agencies', action: 'directory.read', scope: 'none', who: 'any-agency', success: 200 },
  {
    method: 'POST',
    path: '/directory/agencies',
    action: 'agency.manage',
    scope: 'none',
    who: 'any-agency',
    success: 201,
    body: (f) => ({ name: `Matrix member agency ${f.unique}`, kind: 'un_agency' }),
  },
  {
    method: 'POST',
    path: '/directory/agencies/:agencyId/deactivation',
    action: 'agency.manage',
    scope: 'agency',
    who: 'other-agency-target',
    success: 200,
  },

  // --- service directory (src/directory): every agency context has a service of that agency (:serviceId) ---
  {
    method: 'GET',
    path: '/directory/services',
    action: 'directory.read',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    query: '?serviceType=shelter&area=mAIDUGURI',
  },
  { method: 'GET', path: '/directory/agencies/:agencyId', action: 'directory.read', scope: 'agency', who: 'any-agency', success: 200 },
  { method: 'GET', path: '/directory/hsds', action: 'directory.read', scope: 'none', who: 'any-agency', success: 200 },
  // The HSDS 3.0 API read endpoints (paged, ?search), for HSDS tools.
  ...(['services', 'organizations', 'service_at_locations'] as const).map((collection): RouteSpec => ({
    method: 'GET',
    path: `/directory/hsds/${collection}`,
    action: 'directory.read',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    query: '?page=1&per_page=5&search=a',
  })),
  // A listed organization (imported without the network's kind) made a member: every 'none' fixture has one (:organizationId).
  {
    method: 'POST',
    path: '/directory/organizations/:organizationId/membership',
    action: 'directory.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    body: () => ({ kind: 'national_ngo' }),
  },
  {
    method: 'PUT',
    path: '/directory/agencies/:agencyId/profile',
    action: 'directory.manage',
    scope: 'agency',
    who: 'any-agency',
    success: 200,
    body: () => ({ description: 'Matrix profile', subcommittees: ['protection'], areasServed: ['Bama'] }),
  },
  {
    method: 'POST',
    path: '/directory/services',
    action: 'service.maintain',
    scope: 'agency',
    who: 'service-maintainer',
    success: 201,
    body: (f) => ({ ...directoryService(f), agencyId: f.params.agencyId }),
    finally: judicialOffer,
  },
  {
    method: 'PUT',
    path: '/directory/services/:serviceId',
    action: 'service.maintain',
    scope: 'agency',
    who: 'service-maintainer',
    success: 200,
    target: 'serviceId',
    body: directoryService,
    finally: judicialOffer,
  },
  {
    method: 'POST',
    path: '/directory/services/:serviceId/capacity',
    action: 'service.capacity',
    scope: 'agency',
    who: 'own-agency-target',
    success: 200,
    target: 'serviceId',
    body: () => ({ available: 0 }),
  },
  {
    method: 'POST',
    path: '/directory/hsds/import',
    action: 'directory.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    body: (f) => ({
      services: [
        {
          id: randomUUID(),
          organization_id: f.agencies.ngo,
          name: `Matrix imported service ${f.unique}`,
          status: 'active',
          attributes: [
            { id: randomUUID(), taxonomy_term_id: termId('serviceType', 'food_and_nutrition') },
            { id: randomUUID(), taxonomy_term_id: termId('eligibility', 'children_accepted'), value: 'true' },
          ],
        },
      ],
    }),
  },
  {
    method: 'GET',
    path: '/agency/users',
    action: 'user.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      const mine = (await p.query<{ username: string }>('SELECT username FROM users WHERE agency_id = $1', [p.callerAgencyId])).map(
        (u) => u.username,
      );
      const listed = (p.response.body as Array<{ username: string }>).map((u) => u.username);
      expect(listed.filter((u) => !mine.includes(u))).toEqual([]); // no user of another agency
      expect(JSON.stringify(p.response.body)).not.toMatch(/password|argon2|scrypt/);
    },
  },
  {
    method: 'GET',
    path: '/agency/case-staff',
    action: 'case.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      const staff = await p.query<{ id: string }>(
        "SELECT id FROM users WHERE agency_id = $1 AND active AND role IN ('caseworker', 'supervisor') ORDER BY id",
        [p.callerAgencyId],
      );
      const listed = (p.response.body as Array<{ id: string }>).map((u) => u.id).sort();
      expect(listed).toEqual(staff.map((u) => u.id)); // exactly the agency's own active case staff
      expect(JSON.stringify(p.response.body)).not.toMatch(/password|argon2|username/);
    },
  },
  {
    method: 'POST',
    path: '/agency/users',
    action: 'user.manage',
    scope: 'none',
    who: 'any-agency',
    success: 201,
    body: (f) => ({ username: `matrix.new.${f.unique}`, displayName: 'Matrix new user', role: 'caseworker' }),
  },
  {
    method: 'POST',
    path: '/agency/users/:userId/deactivation',
    action: 'user.manage',
    scope: 'user',
    who: 'own-agency-target',
    success: 200,
    target: 'userId',
    // Administration.deactivateUser refuses an admin's own account before anything else.
    finally: (context) => (context.relation === 'self' ? { status: 422, why: 'an admin cannot deactivate themself' } : undefined),
  },
  {
    method: 'GET',
    path: '/agency/api-keys',
    action: 'api-key.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      const mine = (await p.query<{ id: string }>('SELECT id FROM api_keys WHERE agency_id = $1', [p.callerAgencyId])).map((k) => k.id);
      expect((p.response.body as Array<{ id: string }>).map((k) => k.id).filter((id) => !mine.includes(id))).toEqual([]);
      expect(JSON.stringify(p.response.body)).not.toMatch(/rk_|secret/);
    },
  },
  {
    method: 'POST',
    path: '/agency/api-keys',
    action: 'api-key.manage',
    scope: 'none',
    who: 'any-agency',
    success: 201,
    body: (f) => ({ name: `matrix key ${f.unique}` }),
  },
  {
    method: 'POST',
    path: '/agency/api-keys/:keyId/revocation',
    action: 'api-key.manage',
    scope: 'api-key',
    who: 'own-agency-target',
    success: 200,
    target: 'keyId',
  },
  {
    method: 'PUT',
    path: '/agency/feed-key',
    action: 'feed-key.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    body: () => ({ jwk: MATRIX_FEED_KEY }),
  },
  {
    method: 'GET',
    path: '/agency/feed-key',
    action: 'feed-key.manage',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      // Registered by the PUT above or not yet: either way the caller's own agency's key and no other.
      const [mine] = await p.query<{ kid: string }>("SELECT jwk->>'kid' AS kid FROM agency_feed_keys WHERE agency_id = $1", [
        p.callerAgencyId,
      ]);
      const body = p.response.body as { registered: boolean; jwk?: { kid: string } };
      expect(body.registered ? body.jwk?.kid : undefined).toBe(mine?.kid);
    },
  },

  // --- cases: open, list, read (src/cases/cases.controller.ts, case-writes.service.ts, case-reader.service.ts) ---
  {
    method: 'POST',
    path: '/cases',
    action: 'case.open',
    scope: 'none',
    who: 'any-agency',
    success: 201,
    body: (f) => childCase(`open-${f.unique}`),
  },
  {
    method: 'GET',
    path: '/cases',
    action: 'case.read',
    scope: 'case',
    who: 'any-agency',
    success: 200,
    query: '?limit=100',
    verify: async (p) => {
      const listed = (await p.listAll('/cases')).some((item) => item.caseId === p.fixture.params.caseId);
      expect({ listed }).toEqual({ listed: p.context.relation === 'owner' || p.context.relation === 'recipient' });
    },
  },
  {
    method: 'GET',
    path: '/referrals',
    action: 'referral.list',
    scope: 'case',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      const incoming = (await p.listAll('/referrals')).some((item) => item.referralId === p.fixture.params.referralId);
      expect({ incoming }).toEqual({ incoming: p.context.relation === 'recipient' });
    },
  },
  {
    method: 'GET',
    path: '/cases/:caseId',
    action: 'case.read',
    scope: 'case',
    who: 'case-reader',
    success: 200,
    target: 'caseId',
    // The owner sees the whole case; a recipient what live consent permits (identity and the referral note here); after withdrawal, nothing.
    reveals: (context) => (context.relation === 'owner' ? ALL_MARKERS : context.key === 'live' ? ['identity', 'referralNote'] : []),
    verify: async (p) => {
      const { body, headers } = p.response;
      if (p.context.relation === 'owner') {
        expect(headers.etag).toBe(`"${body.revision}"`);
        expect(JSON.stringify(body.personalData)).toContain(MARKERS.location);
      } else {
        // Only the owner writes, so only the owner learns the revision.
        expect({ etag: headers.etag, revision: body.revision }).toEqual({ etag: undefined, revision: undefined });
        expect(Object.keys(body.personalData).sort()).toEqual(p.context.key === 'live' ? ['identity'] : []);
      }
    },
  },

  // --- consent and referral (decider giveConsent, withdrawConsent, requestReferral) ---
  ownerWrite('/cases/:caseId/consents', 'consent.record', {
    success: 201,
    allowedIn: openOrPaused,
    body: (f) => ({
      grantor: 'guardian',
      childAssent: true,
      method: 'verbal',
      language: 'ha',
      interpreterUsed: false,
      noticeVersion: 'matrix-1',
      provisions: [{ recipient: { agencyId: f.agencies.ngo }, purpose: 'case_management', categories: ['identity'] }],
    }),
  }),
  // Withdrawal is possible whatever the case's status: only a live consent is needed.
  ownerWrite('/cases/:caseId/consents/:consentId/withdrawal', 'consent.withdraw', {
    allowedIn: (s) => s.consent === 'live',
    body: () => ({}),
  }),
  // What a withdrawal would do, decided as the withdrawal is and written nowhere: the same rules answer.
  ownerWrite('/cases/:caseId/consents/:consentId/withdrawal-preview', 'consent.withdraw', {
    allowedIn: (s) => s.consent === 'live',
    body: () => ({}),
    mutates: false,
  }),
  ownerWrite('/cases/:caseId/referrals', 'referral.request', {
    success: 201,
    allowedIn: (s) => s.caseStatus === 'open',
    // Covered by the fixture's consent to the legal aid collective (in the owner's contexts).
    body: (f) => ({
      toAgencyId: f.agencies.legal,
      purpose: 'case_management',
      sharedCategories: ['identity'],
      note: `${MARKERS.referralNote} second ${f.unique}`,
    }),
  }),
  response('acknowledge', ['requested']),
  response('accept', ['requested', 'acknowledged']),
  response('decline', ['requested', 'acknowledged'], {
    body: (f) => ({ reason: 'no_capacity', note: `${MARKERS.declineNote} ${f.unique}` }),
  }),
  response('complete', ['accepted'], { needs: { referral: 'accepted' }, body: (f) => ({ outcome: `${MARKERS.outcome} ${f.unique}` }) }),
  {
    method: 'POST',
    path: '/cases/:caseId/referrals/:referralId/withdraw',
    action: 'referral.withdraw',
    scope: 'case',
    who: 'referral-sender',
    success: 200,
    target: 'caseId',
    allowedIn: isOpenReferral,
  },

  // --- the case path (decider recordScreening, recordIdentification, recordIntake, recordCasePlan, assessSafety) ---
  ownerWrite('/cases/:caseId/screening', 'case.manage', {
    success: 201,
    allowedIn: (s) => s.caseStatus === 'open',
    body: () => ({ outcome: 'other_needs' }),
  }),
  ownerWrite('/cases/:caseId/identification', 'case.manage', {
    success: 201,
    allowedIn: (s) => s.caseStatus === 'open',
    body: () => ({ outcome: 'inconclusive' }),
  }),
  ownerWrite('/cases/:caseId/intake', 'case.manage', {
    success: 201,
    allowedIn: (s) => s.caseStatus === 'open',
    body: () => ({ caseworkerId: '00000000-0000-4000-8000-000000000000' }),
    // The body names nobody of the caller's agency (test/case-path.e2e.spec.ts covers a real intake).
    finally: () => ({ status: 422, why: 'recordIntake: the caseworker is not active staff of the owning agency' }),
  }),
  ownerWrite('/cases/:caseId/case-plan', 'case.manage', {
    success: 201,
    allowedIn: (s) => s.caseStatus === 'open',
    body: (f) => ({ servicesNeeded: ['mhpss'], plan: `${MARKERS.casePlan} ${f.unique}` }),
    // No fixture has had its intake (test/case-path.e2e.spec.ts covers a real plan).
    finally: () => ({ status: 409, why: 'recordCasePlan: a case plan follows the intake' }),
  }),
  ownerWrite('/cases/:caseId/safety-assessments', 'safety-flag.manage', {
    success: 201,
    allowedIn: openOrPaused,
    body: (f) => ({ riskLevel: 'low', plan: `${MARKERS.safetyPlan} ${f.unique}`, flags: [] }),
  }),
  {
    // The interviewing agency records the outcome of an in-depth interview referral; the fixture's referral is for case management.
    method: 'POST',
    path: '/cases/:caseId/referrals/:referralId/identification',
    action: 'case.manage',
    scope: 'case',
    who: 'referral-receiver',
    success: 201,
    target: 'caseId',
    allowedIn: () => true,
    body: () => ({ outcome: 'trafficked_person' }),
    finally: (context) =>
      context.relation === 'recipient' ? { status: 422, why: 'recordIdentification: not an in-depth interview referral' } : undefined,
  },
  // Only a declined referral is re-referred, and no fixture referral is declined (test/case-path.e2e.spec.ts covers one).
  ownerWrite('/cases/:caseId/referrals/:referralId/re-referral', 'referral.request', {
    success: 201,
    allowedIn: () => false,
    body: (f) => ({ toAgencyId: f.agencies.legal }),
  }),
  {
    // The owning agency's staff only: a receiving agency gets 404 as if the case did not exist.
    method: 'GET',
    path: '/cases/:caseId/referral-suggestions',
    action: 'referral.suggest',
    scope: 'case',
    who: 'case-reader',
    success: 200,
    target: 'caseId',
    query: '?serviceType=legal_assistance',
    finally: (context) =>
      context.relation === 'recipient' ? { status: 404, why: 'ReferralSuggestions.suggest: the owning agency only' } : undefined,
    verify: async (p) => {
      const legal = p.response.body.suggestions.find((s: { agencyId: string }) => s.agencyId === p.fixture.agencies.legal);
      expect(legal).toMatchObject({ available: true, consent: { missing: ['identity'] } });
    },
  },

  // --- case status (decider changeCaseStatus, STATUS_FROM) ---
  ownerWrite('/cases/:caseId/interruption', 'case.change-status', {
    allowedIn: (s) => s.caseStatus === 'open',
    body: (f) => ({ reason: 'lost_contact', note: `${MARKERS.interruptionNote} ${f.unique}` }),
  }),
  ownerWrite('/cases/:caseId/resumption', 'case.change-status', {
    allowedIn: (s) => s.caseStatus === 'paused',
    needs: { caseStatus: 'paused' },
  }),
  ownerWrite('/cases/:caseId/closure', 'case.change-status', { allowedIn: openOrPaused, body: () => ({ reason: 'other' }) }),
  // Closing withdraws open referrals, so a closed fixture's referral is withdrawn.
  ownerWrite('/cases/:caseId/reopening', 'case.change-status', {
    allowedIn: (s) => s.caseStatus === 'closed',
    needs: { caseStatus: 'closed', referral: 'withdrawn' },
  }),

  // --- safety flags (decider raiseSafetyFlag: any status; liftSafetyFlag: open or paused) ---
  ownerWrite('/cases/:caseId/safety-flags', 'safety-flag.manage', {
    allowedIn: (s) => !s.flags.includes('location_must_not_be_shared'),
    body: () => ({ flag: 'location_must_not_be_shared' }),
  }),
  ownerWrite('/cases/:caseId/safety-flags/:flag/lifting', 'safety-flag.manage', {
    allowedIn: (s) => openOrPaused(s) && s.flags.includes('no_phone_contact'),
  }),

  // --- best interests of a child (decider proposeBestInterestsDetermination, decideOnDetermination) ---
  ownerWrite('/cases/:caseId/best-interests-determinations', 'best-interests.propose', {
    success: 201,
    allowedIn: openOrPaused,
    body: (f) => ({
      scope: [
        { recipient: { agencyId: f.agencies.legal }, purpose: 'case_management', categories: ['identity'], validUntil: inFuture(30) },
      ],
      reasons: `${MARKERS.determinationReasons} ${f.unique}`,
    }),
  }),
  // A second pair of eyes decides either way: the proposer neither approves nor rejects (issue 12, finding 5).
  ...(['approval', 'rejection'] as const).map((decision) =>
    ownerWrite(`/cases/:caseId/best-interests-determinations/:determinationId/${decision}`, 'best-interests.review', {
      allowedIn: (s) => openOrPaused(s) && s.determination === 'proposed',
      contexts: [...CASE_CONTEXTS, 'ownProposal'],
      finally: (_context, state) =>
        state?.proposedByCaller ? { status: 403, why: `the proposer may not decide on their own determination (${decision})` } : undefined,
    }),
  ),

  // The supervisor's worklist (GET /approvals): the fixture's proposed determination, listed to its owning agency only.
  {
    method: 'GET',
    path: '/approvals',
    action: 'approval.list',
    scope: 'case',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      const items = p.response.body.items as Array<{ caseId: string; id: string }>;
      const listed = items.some((item) => item.caseId === p.fixture.params.caseId && item.id === p.fixture.params.determinationId);
      expect({ listed }).toEqual({ listed: p.context.relation === 'owner' && p.context.state?.caseStatus !== 'closed' });
    },
  },

  // --- erasure (decider requestErasure / approveErasure / rejectErasure): any state; a decision needs a waiting request's id ---
  ownerWrite('/cases/:caseId/erasure-requests', 'case.erase.request', {
    success: 201,
    allowedIn: () => true,
    body: () => ({ reason: 'person_requested' }),
  }),
  ownerWrite('/cases/:caseId/erasure-requests/:requestId/approval', 'case.erase.approve', {
    allowedIn: () => true,
    // The owner is told the request id is unknown; strangers (coordinators too) get "case not found", checked by the cells.
    target: undefined,
    // The fixture has no waiting request: the owner learns the id is unknown; a coordinator outside the agency, nothing.
    finally: () => ({ status: 404, why: 'approveErasure: no erasure request with this id is waiting' }),
  }),
  ownerWrite('/cases/:caseId/erasure-requests/:requestId/rejection', 'case.erase.approve', {
    allowedIn: () => true,
    // Decided by the same guards as approval: the owner is told the id is unknown, strangers (coordinators too) nothing.
    target: undefined,
    finally: () => ({ status: 404, why: 'rejectErasure: no erasure request with this id is waiting' }),
  }),
  // --- audit (src/audit/audit.controller.ts): consent metadata and access records, of any case ---
  {
    method: 'GET',
    path: '/audit/cases/:caseId/consent-trail',
    action: 'audit.read',
    scope: 'case',
    who: 'any-case',
    success: 200,
    target: 'caseId',
  },
  {
    method: 'GET',
    path: '/audit/cases/:caseId/access-log',
    action: 'audit.read',
    scope: 'case',
    who: 'any-case',
    success: 200,
    target: 'caseId',
  },
  { method: 'GET', path: '/audit/verify', action: 'audit.read', scope: 'none', who: 'any-agency', success: 200 },
  { method: 'GET', path: '/audit/access-log', action: 'audit.read', scope: 'none', who: 'any-agency', success: 200 },
  { method: 'GET', path: '/audit/consent-trail', action: 'audit.read', scope: 'none', who: 'any-agency', success: 200 },

  // --- coordinator reports (src/reports): network-wide statistics, the service map and overdue counts; never a case or a referral id ---
  ...(['service-map', 'referrals', 'declines', 'overdue-referrals'] as const).map((report): RouteSpec => ({
    method: 'GET',
    path: `/reports/${report}`,
    action: 'report.read',
    scope: 'none',
    who: 'any-agency',
    success: 200,
    verify: async (p) => {
      const streams = await p.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'case-%'`, []);
      const referrals = await p.query<{ id: string }>(
        `SELECT data->>'referralId' AS id FROM events WHERE event_type = 'ReferralRequested'`,
        [],
      );
      const body = JSON.stringify(p.response.body);
      expect(streams.map((s) => s.stream_id.slice('case-'.length)).filter((caseId) => body.includes(caseId))).toEqual([]);
      expect(referrals.map((r) => r.id).filter((referralId) => body.includes(referralId))).toEqual([]);
    },
  })),

  // --- FHIR R4 export of consents (src/audit/fhir-consent.controller.ts): the owning agency's staff, their own cases only (any
  // other agency, a recipient included, 404 as if the case did not exist); auditors any case under /audit ---
  ...(
    [
      { path: '/cases/:caseId/fhir/consents', action: 'consent.export', who: 'case-reader' },
      { path: '/audit/cases/:caseId/fhir/consents', action: 'audit.read', who: 'any-case' },
    ] as const
  ).map(({ path, action, who }): RouteSpec => ({
    method: 'GET',
    path,
    action,
    scope: 'case',
    who,
    success: 200,
    target: 'caseId',
    finally: (context) =>
      who === 'case-reader' && context.relation === 'recipient'
        ? { status: 404, why: 'FhirConsentExport.forOwner: the owning agency only' }
        : undefined,
    verify: async (p) => {
      const { fhirSchemaErrors } = await import('./fhir-schema.js');
      expect(p.response.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect({ resourceType: p.response.body.resourceType, errors: fhirSchemaErrors(p.response.body) }).toEqual({
        resourceType: 'Bundle',
        errors: [],
      });
      const consents = p.response.body.entry.filter((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Consent');
      expect(consents.map((e: { resource: { id: string; status: string } }) => [e.resource.id, e.resource.status])).toContainEqual([
        p.fixture.params.consentId,
        p.context.state?.consent === 'withdrawn' ? 'inactive' : 'active',
      ]);
    },
  })),

  // --- consent receipts (src/receipts): the owning agency's only; an agency the case was referred to gets 404 like any other ---
  ...(['receipt', 'receipts', 'receipt.txt'] as const).map((leaf): RouteSpec => ({
    method: 'GET',
    path: `/cases/:caseId/consents/:consentId/${leaf}`,
    action: 'consent.receipt',
    scope: 'case',
    who: 'case-reader',
    success: 200,
    target: 'caseId',
    finally: (context) =>
      context.relation === 'recipient' ? { status: 404, why: 'ReceiptsService: receipts are for the owning agency only' } : undefined,
    verify: async (p) => {
      if (leaf === 'receipt.txt') {
        // The fixture's consent is in Kanuri: English text, to be read out by the interpreter.
        expect([p.response.headers['content-type'], p.response.headers['content-language']]).toEqual(['text/plain; charset=utf-8', 'en']);
        return;
      }
      const receipts = leaf === 'receipt' ? [p.response.body] : p.response.body;
      expect(receipts.map((r: { event: string; receipt: { piiPrincipalId: string } }) => [r.event, r.receipt.piiPrincipalId])).toEqual([
        ['given', p.fixture.params.caseId],
      ]);
    },
  })),
];

// ---------------------------------------------------------------------------------------------
// The expected answer
// ---------------------------------------------------------------------------------------------

/** The relation rule of `who` for `relation`; undefined when the caller's agency may act. */
function relationOutcome(who: Who, relation: Relation, caller: Caller): Outcome | undefined {
  switch (who) {
    case 'any-agency':
    case 'any-case':
      return undefined;
    case 'case-reader':
      return relation === 'stranger' ? { status: 404, why: 'CaseReader.view: no view of the case for this agency' } : undefined;
    case 'case-owner':
      if (relation === 'stranger') return { status: 404, why: 'requireOwner: the agency does not know the case' };
      if (relation === 'recipient')
        return { status: 403, why: 'requireOwner: the agency knows the case through a referral but does not own it' };
      return undefined;
    case 'referral-sender':
      if (relation === 'stranger') return { status: 404, why: 'requireOwner: the agency does not know the case' };
      if (relation === 'recipient') return { status: 403, why: 'withdrawReferral: the receiving agency declines, it does not withdraw' };
      return undefined;
    case 'referral-receiver':
      if (relation === 'owner') return { status: 403, why: 'respondToReferral: only the receiving agency responds' };
      if (relation === 'stranger') return { status: 404, why: 'respondToReferral: not a referral to this agency' };
      return undefined;
    case 'own-agency-target':
      return relation === 'other' ? { status: 404, why: "only the caller's own agency's users, keys and services are found" } : undefined;
    case 'other-agency-target':
      return relation === 'own' ? { status: 422, why: 'a coordinator cannot deactivate their own agency' } : undefined;
    case 'service-maintainer':
      return relation === 'other' && !callerMay(caller, 'directory.manage')
        ? { status: 404, why: "Directory: another agency's service or agency reads as none" }
        : undefined;
  }
}

/** The context's state with the route's needs applied, except for the facts that define the context. */
export function stateFor(route: RouteSpec, context: Context): CaseState | undefined {
  if (!context.state) return undefined;
  const needs = Object.entries(route.needs ?? {}).filter(([key]) => !context.fixed?.includes(key as keyof CaseState));
  return { ...context.state, ...Object.fromEntries(needs) };
}

export interface Expectation extends Outcome {
  /** The state the cell's fixture must be in. */
  readonly state?: CaseState;
  /** True when the cell needs a fixture of its own: a success that changes state, or a state the shared fixture is not in. */
  readonly fresh: boolean;
}

/** PermissionGuard first (403), then the route's relation rule, the decider's state rule (409), its last rules, success. */
export function expectationFor(route: RouteSpec, caller: Caller, context: Context): Expectation {
  if (!callerMay(caller, route.action)) {
    return { status: 403, why: `PermissionGuard: ${caller.label} may not ${route.action}`, state: context.state, fresh: false };
  }
  const refused = relationOutcome(route.who, context.relation, caller);
  if (refused) return { ...refused, state: context.state, fresh: false };
  const state = stateFor(route, context);
  const changed = JSON.stringify(state) !== JSON.stringify(context.state);
  if (state && route.allowedIn && !route.allowedIn(state)) {
    return { status: 409, why: "the decider's state rule forbids it in this state", state, fresh: changed };
  }
  const last = route.finally?.(context, state, caller);
  if (last) return { ...last, state, fresh: changed };
  const mutates = route.mutates ?? route.method !== 'GET';
  return { status: route.success, why: 'permitted', state, fresh: changed || mutates };
}

export interface Cell extends Expectation {
  readonly title: string;
  readonly route: RouteSpec;
  readonly caller: Caller;
  readonly context: Context;
}

export const routeName = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

/** Every protected route x every caller x every context the route's scope has (where the caller can be put in it). */
export function generateCells(routes: readonly RouteSpec[] = PROTECTED_ROUTES, callers: readonly Caller[] = CALLERS): Cell[] {
  return routes.flatMap((route) =>
    (route.contexts ?? DEFAULT_CONTEXTS[route.scope]).flatMap((key) => {
      const context: Context = CONTEXTS[key];
      return callers
        .filter((caller) => context.realizableFor?.(caller) ?? true)
        .map((caller): Cell => {
          const expectation = expectationFor(route, caller, context);
          const where = context.title ? `, ${context.title}` : '';
          return {
            ...expectation,
            route,
            caller,
            context,
            title: `${routeName(route)} as ${caller.label}${where} -> ${expectation.status}`,
          };
        });
    }),
  );
}

export const isPublic = (method: string, path: string): boolean =>
  PUBLIC_ROUTES.some((r) => r.method === method && (r.path.endsWith('*') ? path.startsWith(r.path.slice(0, -1)) : r.path === path));
