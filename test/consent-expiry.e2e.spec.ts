import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { CaseCommand, CaseEvent } from '../libs/domain/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { ConsentExpiry } from '../src/consent-expiry/consent-expiry.service.js';
import { APP_DRIVERS, type RunningApp, type TestApp, allEvents, appendDecided, eventually, useTestApp } from './support/test-app.js';
import { post, read } from './support/case-steps.js';
import { giveConsentCommand, openCaseCommand, shelterGrant, shelterReferralCommand } from './support/past-commands.js';

const DAY = 86_400_000;
/** The process sleeps until the end of a consent; it looks for ends recorded meanwhile this often. */
const SETTINGS = { CONSENT_EXPIRY_CHECK_MS: '100' };

function expectProblem(response: Response, status: number) {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
}

interface Referred {
  readonly caseId: string;
  readonly referralId: string;
}

/**
 * A case opened a week ago with the person's consent to share their identity with the shelter
 * until `validUntil` (open-ended when undefined), or for a child an approved best-interests
 * determination to that end, and an urgent shelter referral made then and never answered (so
 * overdue), or accepted. Decided by the real decider at those past times, then stored as the
 * service would.
 */
async function referredAWeekAgo(
  t: RunningApp,
  validUntil: string | undefined,
  options: { accepted?: true; child?: true } = {},
): Promise<Referred> {
  const [social, shelter] = [await t.agencyId('Social Development'), await t.agencyId('Shelter')];
  const userId = async (username: string) =>
    (await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id;
  const actor = { userId: await userId('caseworker.social'), agencyId: social, agencyKind: 'government_social_service' as const };
  const caseId = randomUUID();
  const referralId = randomUUID();
  const weekAgo = new Date(Date.now() - 7 * DAY).toISOString();
  const grant = shelterGrant(shelter, weekAgo, validUntil);
  const determinationId = randomUUID();
  const basis: CaseCommand[] = options.child
    ? [
        {
          type: 'ProposeBestInterestsDetermination',
          actor,
          at: weekAgo,
          determinationId,
          scope: [grant],
          reasons: { sealedForTheTest: true },
        },
        {
          type: 'ApproveBestInterestsDetermination',
          actor: { ...actor, userId: await userId('supervisor.social') },
          at: weekAgo,
          determinationId,
        },
      ]
    : [giveConsentCommand(actor, weekAgo, [grant])];
  const commands: CaseCommand[] = [
    openCaseCommand(actor, weekAgo, caseId, options.child ? 'child' : 'adult'),
    ...basis,
    shelterReferralCommand(actor, weekAgo, referralId, shelter),
    ...(options.accepted
      ? [
          {
            type: 'AcceptReferral',
            actor: { userId: await userId('caseworker.shelter'), agencyId: shelter, agencyKind: 'shelter' },
            at: weekAgo,
            referralId,
          } as const,
        ]
      : []),
  ];
  await appendDecided(t.store, caseId, commands);
  return { caseId, referralId };
}

/** The withdrawals of a referral in the event store, with who recorded them and when. */
async function withdrawalsOf(t: RunningApp, referralId: string) {
  return (await allEvents(t.store))
    .filter((e) => e.type === 'ReferralWithdrawn' && (e.data as { referralId: string }).referralId === referralId)
    .map((e) => ({ ...(e.data as Extract<CaseEvent, { type: 'ReferralWithdrawn' }>['data']), actorAgencyId: e.metadata.actorAgencyId }));
}

const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
/** Up to about 20 s: the end of consent is two seconds ahead, on a machine that may be busy. */
const withinSeconds = 400;

describe.each(APP_DRIVERS)('consent that ends with time (%s)', (driver) => {
  const t = useTestApp({ driver, settings: SETTINGS });
  let lapsing: Referred;
  let lapsingAccepted: Referred;
  let lapsingForChild: Referred;
  let lasting: Referred;
  let validUntil: string;

  beforeAll(async () => {
    validUntil = inFuture(2000);
    lapsing = await referredAWeekAgo(t, validUntil);
    lapsingAccepted = await referredAWeekAgo(t, validUntil, { accepted: true });
    lapsingForChild = await referredAWeekAgo(t, validUntil, { child: true });
    lasting = await referredAWeekAgo(t, undefined);
    // Nobody writes from here on: the end of consent alone acts.
    for (const { referralId } of [lapsing, lapsingAccepted, lapsingForChild])
      await eventually(
        () => withdrawalsOf(t, referralId),
        (found) => found.length > 0,
        withinSeconds,
      );
  });

  it('withdraws the referrals that stood on a consent or a determination at its end, for the expiry, on behalf of the owning agency', async () => {
    const social = await t.agencyId('Social Development');
    for (const { referralId } of [lapsing, lapsingAccepted, lapsingForChild]) {
      const found = await withdrawalsOf(t, referralId);
      expect(found).toEqual([
        { referralId, cause: 'consent_expired', by: 'system:consent-expiry', at: expect.any(String), actorAgencyId: social },
      ]);
      expect(Date.parse(found[0]!.at)).toBeGreaterThanOrEqual(Date.parse(validUntil));
    }
    expect(await withdrawalsOf(t, lasting.referralId)).toEqual([]);
  });

  it('shows the recipient and the sender the referral withdrawn because the consent expired', async () => {
    const inbox = async (username: string, direction: string) =>
      (
        await t.http
          .get(`/referrals?direction=${direction}`)
          .set(await t.bearer(username))
          .expect(200)
      ).body.items as Array<Record<string, unknown>>;
    const incoming = await eventually(
      () => inbox('caseworker.shelter', 'incoming'),
      (rows) => rows.some((r) => r.referralId === lapsing.referralId && r.status === 'withdrawn'),
    );
    expect(incoming.find((r) => r.referralId === lapsing.referralId)).toMatchObject({
      status: 'withdrawn',
      withdrawalCause: 'consent_expired',
    });
    expect(incoming.find((r) => r.referralId === lasting.referralId)).toMatchObject({ status: 'requested' });
    expect((await inbox('caseworker.social', 'outgoing')).find((r) => r.referralId === lapsing.referralId)).toMatchObject({
      status: 'withdrawn',
      withdrawalCause: 'consent_expired',
    });
    const view = await read(t, `/cases/${lapsing.caseId}`, 'caseworker.shelter');
    expect(view.referrals).toEqual([
      expect.objectContaining({ referralId: lapsing.referralId, status: 'withdrawn', withdrawalCause: 'consent_expired' }),
    ]);
    expect(view.personalData).toEqual({});
  });

  it("refuses the recipient's acknowledgement, acceptance and completion, and writes nothing", async () => {
    const before = (await allEvents(t.store)).length;
    const base = `/cases/${lapsing.caseId}/referrals/${lapsing.referralId}`;
    expectProblem(await post(t, `${base}/acknowledge`, {}, 'caseworker.shelter'), 409);
    expectProblem(await post(t, `${base}/accept`, {}, 'caseworker.shelter'), 409);
    expectProblem(
      await post(
        t,
        `/cases/${lapsingAccepted.caseId}/referrals/${lapsingAccepted.referralId}/complete`,
        { outcome: 'Stayed two nights.' },
        'caseworker.shelter',
      ),
      409,
    );
    expect((await allEvents(t.store)).length).toBe(before);
  });

  it('leaves the expired referral out of the overdue lists and the overdue report; the one still covered stays in', async () => {
    const overdue = async (username: string, direction: string) =>
      (
        await t.http
          .get(`/referrals?direction=${direction}&overdue=true`)
          .set(await t.bearer(username))
          .expect(200)
      ).body.items.map((r: { referralId: string }) => r.referralId);
    expect(
      await eventually(
        () => overdue('caseworker.shelter', 'incoming'),
        (ids) => !ids.includes(lapsing.referralId),
      ),
    ).toEqual([lasting.referralId]);
    expect(await overdue('caseworker.social', 'outgoing')).toEqual([lasting.referralId]);
    const report = await read(t, '/reports/overdue-referrals', 'coordinator.justice');
    expect(report.rows).toEqual([
      expect.objectContaining({ agency: expect.objectContaining({ id: await t.agencyId('Shelter') }), serviceType: 'shelter', overdue: 1 }),
    ]);
  });
});

describe.each(APP_DRIVERS)('consent that ended while the expiry process was not running (%s)', (driver) => {
  const t = useTestApp({ driver, settings: SETTINGS });
  let ended: Referred;
  let endedAccepted: Referred;

  beforeAll(async () => {
    // As if the service were down at the end: its process stopped, the consent ended an hour ago.
    await t.app.get(ConsentExpiry).onApplicationShutdown();
    ended = await referredAWeekAgo(t, hourAgo());
    endedAccepted = await referredAWeekAgo(t, hourAgo(), { accepted: true });
    // Every event readable, so that "writes nothing" counts from all of them.
    await eventually(
      () => t.app.get(ProjectionRunner).lag(),
      (lag) => lag.events === 0,
    );
  });

  it('already refuses every answer of the recipient, and writes nothing', async () => {
    const before = (await allEvents(t.store)).length;
    const base = `/cases/${ended.caseId}/referrals/${ended.referralId}`;
    expectProblem(await post(t, `${base}/acknowledge`, {}, 'caseworker.shelter'), 409);
    expectProblem(await post(t, `${base}/accept`, {}, 'caseworker.shelter'), 409);
    expectProblem(await post(t, `${base}/decline`, { reason: 'no_capacity' }, 'caseworker.shelter'), 409);
    expectProblem(
      await post(
        t,
        `/cases/${endedAccepted.caseId}/referrals/${endedAccepted.referralId}/complete`,
        { outcome: 'Stayed two nights.' },
        'caseworker.shelter',
      ),
      409,
    );
    expect((await allEvents(t.store)).length).toBe(before);
    expect(await withdrawalsOf(t, ended.referralId)).toEqual([]);
  });

  it('withdraws them when the service starts again', async () => {
    await t.restart();
    for (const { referralId } of [ended, endedAccepted]) {
      expect(
        await eventually(
          () => withdrawalsOf(t, referralId),
          (w) => w.length > 0,
          withinSeconds,
        ),
      ).toEqual([expect.objectContaining({ cause: 'consent_expired', by: 'system:consent-expiry' })]);
    }
  });
});

const url = process.env.DATABASE_URL;
if (!url) console.info('DATABASE_URL is not set: the two-instance consent-expiry test needs PostgreSQL and is skipped.');
(url ? describe : describe.skip)('consent expiry with two instances on one PostgreSQL', () => {
  const first = useTestApp({ driver: 'postgres', settings: SETTINGS });
  let second: TestApp;

  beforeAll(async () => {
    second = await first.another();
  });

  it('withdraws a referral exactly once when both reach the end of its consent', async () => {
    const { caseId, referralId } = await referredAWeekAgo(first, inFuture(2000));
    await eventually(
      () => withdrawalsOf(first, referralId),
      (w) => w.length > 0,
      withinSeconds,
    );
    // Once an instance has run the case its end is gone; a later pass of either decides nothing.
    await eventually(
      () => first.db.query('SELECT 1 FROM consent_deadlines WHERE case_id = $1', [caseId]),
      (rows) => rows.length === 0,
    );
    expect(await withdrawalsOf(first, referralId)).toHaveLength(1);
  });

  it('withdraws it exactly once when both run the same ended consent at the same moment', async () => {
    await Promise.all([first, second].map((instance) => instance.app.get(ConsentExpiry).onApplicationShutdown()));
    const { referralId } = await referredAWeekAgo(first, hourAgo());
    const processes = [first, second, first, second].map((instance) => instance.app.get(ConsentExpiry));
    await eventually(
      async () => (await Promise.all(processes.map((p) => p.expireDue()))).reduce((a, b) => a + b, 0),
      (ran) => ran > 0,
    );
    expect(await withdrawalsOf(first, referralId)).toEqual([expect.objectContaining({ cause: 'consent_expired' })]);
  });
});
