import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../libs/sql/index.js';
import type { RunningApp } from './test-app.js';

/**
 * Small steps that take a fresh case to the state a test starts from, over HTTP as a user would, so
 * that no test relies on a case another test opened, consented or referred.
 */

type Body = Record<string, unknown>;

/** What a step needs of a running application: one that useTestApp shares, or one a spec starts itself. */
export type Client = Pick<RunningApp, 'http' | 'token'>;

/** The Authorization header of a demo user. */
export const bearerOf = async (t: Client, username: string) => ({ Authorization: `Bearer ${await t.token(username)}` });

/** What GET `path` answers `username` (a caseworker of the demo Social Development agency unless told); it must succeed. */
export async function read(t: Client, path: string, username = 'caseworker.social') {
  return (
    await t.http
      .get(path)
      .set(await bearerOf(t, username))
      .expect(200)
  ).body;
}

/** POSTs `body` to `path` as `username` and returns the answer as it is, for the test to check its status. */
export async function post(t: Client, path: string, body: Body = {}, username = 'caseworker.social') {
  return t.http
    .post(path)
    .set(await bearerOf(t, username))
    .send(body);
}

/** POSTs `body` to `path` as `username`, expects `status` and returns the body the service answered. */
export async function posted(t: Client, status: number, path: string, body: Body = {}, username = 'caseworker.social') {
  const answered = await post(t, path, body, username);
  expectStatus(answered, status);
  return answered.body;
}

/** A consent provision: `agencyId` may receive `categories` to provide `serviceType`. */
export const provision = (agencyId: string, serviceType = 'shelter', categories: readonly string[] = ['identity']) => ({
  recipient: { agencyId },
  purpose: 'service_provision',
  serviceTypes: [serviceType],
  categories,
});

/** A person's consent as the owning agency records it; `provisions` say who may receive what, for which purpose. */
export const consentBody = (provisions: readonly Body[], overrides: Body = {}): Body => ({
  grantor: 'person',
  method: 'verbal',
  language: 'en',
  interpreterUsed: false,
  noticeVersion: 'n1',
  provisions,
  ...overrides,
});

/** Opens a case as `username` (a caseworker of the demo Social Development agency unless told) and returns its id. */
export async function openCase(t: Client, body: Body = {}, username = 'caseworker.social'): Promise<string> {
  const opened = await post(t, '/cases', { source: 'hotline', ageGroup: 'adult', indicators: [], ...body }, username);
  expectStatus(opened, 201);
  return opened.body.caseId;
}

/** Records a consent on the case and returns what the service answered (consentId, provisionIds, revision). */
export async function giveConsent(t: Client, caseId: string, body: Body, username = 'caseworker.social') {
  const given = await post(t, `/cases/${caseId}/consents`, body, username);
  expectStatus(given, 201);
  return given.body as { consentId: string; provisionIds: string[]; revision: number };
}

/** Requests a referral that consent already covers and returns its id. */
export async function refer(t: Client, caseId: string, body: Body, username = 'caseworker.social'): Promise<string> {
  const referred = await post(t, `/cases/${caseId}/referrals`, body, username);
  expectStatus(referred, 201);
  return referred.body.referralId;
}

export interface ReferredCaseOptions {
  /** The person's data the case is opened with; none unless told. */
  readonly person?: Body;
  readonly serviceType?: string;
  /** What the consent covers and the referral shares; identity unless told. */
  readonly categories?: readonly string[];
  /** More of the referral request (a note, an urgency). */
  readonly referral?: Body;
}

/**
 * A case the demo Social Development agency opened and referred to `agencyId` with the person's consent
 * for `service_provision`: the starting point of most end-to-end tests.
 */
export async function referredCase(t: Client, agencyId: string, options: ReferredCaseOptions = {}) {
  const { person, serviceType = 'shelter', categories = ['identity'] } = options;
  const caseId = await openCase(t, person ? { person } : {});
  const { consentId } = await giveConsent(t, caseId, consentBody([provision(agencyId, serviceType, categories)]));
  const referralId = await refer(t, caseId, {
    toAgencyId: agencyId,
    purpose: 'service_provision',
    serviceType,
    sharedCategories: categories,
    ...options.referral,
  });
  return { caseId, consentId, referralId };
}

/** supertest's expect(status) for an answer already awaited. */
function expectStatus(response: { status: number }, status: number): void {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}`);
}

/** A service with capacity an agency offers, as the directory stores it (src/directory/directory.schema.ts). */
export async function offerService(db: SqlClient, agencyId: string, serviceType = 'shelter'): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO directory_services (id, agency_id, name, service_type, status, children_accepted, capacity_total, capacity_available)
    VALUES ($1, $2, 'Test service', $3, 'active', true, 10, 5)`,
    [id, agencyId, serviceType],
  );
  return id;
}

/**
 * The first sign-in with an initial password, as its user makes it: that password works once, to
 * choose their own; then they sign in with their own. The access token.
 */
export async function firstSignIn(t: Pick<RunningApp, 'http'>, username: string, initialPassword: string): Promise<string> {
  const own = `${username} chose this one`;
  await t.http.post('/auth/password').send({ username, currentPassword: initialPassword, newPassword: own }).expect(204);
  return (await t.http.post('/auth/token').send({ username, password: own }).expect(200)).body.access_token;
}

/**
 * Approves a case's erasure as a crash between its `CaseErased` event and the destruction of the
 * case's key would leave it (a trigger refuses the key's update meanwhile): the event is stored,
 * the key still live. Returns the approval's response.
 */
export async function erasureInterruptedBeforeKeyDestruction(
  t: Client & Pick<RunningApp, 'owner'>,
  caseId: string,
  requestId: string,
  approver: string,
) {
  await t.owner.exec(`
    CREATE FUNCTION crash_before_key_destruction() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'crashed'; END $$;
    CREATE TRIGGER crash_before_key_destruction BEFORE UPDATE ON case_data_keys FOR EACH ROW
      WHEN (OLD.case_id = '${caseId}') EXECUTE FUNCTION crash_before_key_destruction();`);
  try {
    return await post(t, `/cases/${caseId}/erasure-requests/${requestId}/approval`, {}, approver);
  } finally {
    await t.owner.exec('DROP TRIGGER crash_before_key_destruction ON case_data_keys; DROP FUNCTION crash_before_key_destruction();');
  }
}

/** Whether the case's data key is still there to open its personal data (not destroyed by an erasure). */
export async function liveDataKey(db: SqlClient, caseId: string): Promise<boolean> {
  const [key] = await db.query<{ live: boolean }>('SELECT destroyed_at IS NULL AS live FROM case_data_keys WHERE case_id = $1', [caseId]);
  if (!key) throw new Error(`case ${caseId} has no data key`);
  return key.live;
}
