import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { APP_DRIVERS, allEvents, appendDecided, eventually, useTestApp } from './support/test-app.js';
import { post } from './support/case-steps.js';
import { giveConsentCommand, openCaseCommand, shelterGrant, shelterReferralCommand } from './support/past-commands.js';

/**
 * Issue 4's walk: one case through detection, screening, verification by a trained agency, intake,
 * two referrals (one declined and re-referred, one completed), interruption, resumption, closure and
 * reopening, over HTTP, looking at what each receiving agency sees at every step.
 */
const PERSON = {
  identity: { fullName: 'Hauwa Path-Person' },
  contact: { phone: '+234 800 111 2222', safeToContact: true },
  demographics: { sex: 'female', ageBand: '18-24', languages: ['kr'] },
};
const CASE_PLAN = 'Plan: trauma counselling twice weekly, women-only shelter near the clinic.';
const SAFETY_PLAN = 'Avoid the motor park; check-in code word agreed.';
const INTERRUPTION_NOTE = 'Left the shelter at night; do not contact relatives.';
const OWNER_ONLY = ['+234 800 111 2222', CASE_PLAN, INTERRUPTION_NOTE];
const OPENING = {
  source: 'observation',
  indicators: ['work.forced_to_work', 'control.no_control_of_documents'],
  ageGroup: 'adult',
  person: PERSON,
};
const CONSENT = (agencies: Record<'social' | 'shelter', string>) => ({
  grantor: 'person',
  method: 'verbal',
  language: 'kr',
  interpreterUsed: true,
  noticeVersion: 'path-1',
  provisions: [
    {
      recipient: { agencyId: agencies.social },
      purpose: 'service_provision',
      serviceTypes: ['in_depth_interview', 'mhpss'],
      categories: ['identity', 'demographics', 'case_progress'],
    },
    { recipient: { agencyKind: 'health' }, purpose: 'service_provision', serviceTypes: ['mhpss'], categories: ['identity'] },
    {
      recipient: { agencyId: agencies.shelter },
      purpose: 'service_provision',
      serviceTypes: ['shelter'],
      categories: ['identity', 'safety', 'case_progress'],
    },
  ],
});
const SCREENING = { outcome: 'indicators_confirmed', indicators: ['physical.untreated_injuries_or_illness'] };
/** The walk's steps in order: a scenario replays those before its own on a case of its own, so that it depends on no other. */
const STEPS = [
  'opened',
  'consented',
  'interviewReferred',
  'identified',
  'planned',
  'reReferred',
  'shelterReferred',
  'paused',
  'resumed',
] as const;
type Step = (typeof STEPS)[number];

function expectProblem(response: Response, status: number, detail?: RegExp) {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  if (detail) expect(response.body.detail).toMatch(detail);
}

describe.each(APP_DRIVERS)('the case path, end to end over HTTP (%s)', (driver) => {
  const t = useTestApp({ driver });
  const agencies: Record<'social' | 'clinic' | 'shelter' | 'police', string> = { social: '', clinic: '', shelter: '', police: '' };
  let caseId: string;
  let interviewId: string;
  let mhpssAtClinic: string;
  let mhpssAtSocial: string;
  let shelterReferral: string;

  beforeAll(async () => {
    agencies.social = await t.agencyId('Social Development');
    agencies.clinic = await t.agencyId('Clinic');
    agencies.shelter = await t.agencyId('Shelter');
    agencies.police = await t.agencyId('Police');
  });

  const base = () => `/cases/${caseId}`;
  const owner = () => t.bearer('caseworker.ngo');
  const post = async (path: string, username: string, body: object = {}) =>
    t.http
      .post(path)
      .set(await t.bearer(username))
      .send(body);
  /** The NGO's referral of the walked-through case to the shelter, in identity only. */
  const referToShelter = () =>
    post(`${base()}/referrals`, 'caseworker.ngo', {
      toAgencyId: agencies.shelter,
      purpose: 'service_provision',
      serviceType: 'shelter',
      sharedCategories: ['identity'],
    });
  const viewOf = async (username: string) => t.http.get(base()).set(await t.bearer(username));
  /** A receiving agency's view; checks it holds none of what only the owner may see. */
  const recipientView = async (username: string) => {
    const response = await viewOf(username);
    expect(response.status).toBe(200);
    for (const value of OWNER_ONLY) expect(JSON.stringify(response.body)).not.toContain(value);
    return response.body;
  };
  const interview = () => ({
    toAgencyId: agencies.social,
    purpose: 'service_provision',
    serviceType: 'in_depth_interview',
    sharedCategories: ['identity', 'demographics'],
  });
  const mhpssAtTheClinic = () => ({
    toAgencyId: agencies.clinic,
    purpose: 'service_provision',
    serviceType: 'mhpss',
    sharedCategories: ['identity'],
    urgency: 'high',
  });
  const toTheShelter = () => ({
    toAgencyId: agencies.shelter,
    purpose: 'service_provision',
    serviceType: 'shelter',
    sharedCategories: ['identity', 'safety', 'case_progress'],
    urgency: 'immediate',
  });
  const ok = async (answer: Promise<{ status: number; body: { referralId?: string } }>) => {
    const { status, body } = await answer;
    if (status >= 300) throw new Error(`a step of the walk answered ${status}`);
    return body.referralId!;
  };
  /** What each step does when a scenario replays it: the same requests the scenario of that step makes, without its checks. */
  const steps: Record<Step, () => Promise<unknown>> = {
    opened: async () =>
      (caseId = (
        await t.http
          .post('/cases')
          .set(await owner())
          .send(OPENING)
          .expect(201)
      ).body.caseId),
    consented: () => ok(post(`${base()}/consents`, 'caseworker.ngo', CONSENT(agencies))),
    interviewReferred: async () => {
      await ok(post(`${base()}/screening`, 'caseworker.ngo', SCREENING));
      interviewId = await ok(post(`${base()}/referrals`, 'caseworker.ngo', interview()));
    },
    identified: async () => {
      await ok(post(`${base()}/referrals/${interviewId}/accept`, 'caseworker.social'));
      await ok(post(`${base()}/referrals/${interviewId}/identification`, 'caseworker.social', { outcome: 'trafficked_person' }));
      await ok(
        post(`${base()}/referrals/${interviewId}/complete`, 'caseworker.social', { outcome: 'Interview held with a Kanuri interpreter.' }),
      );
    },
    planned: async () => {
      await ok(post(`${base()}/intake`, 'caseworker.ngo', { caseworkerId: await userId('caseworker.ngo') }));
      await ok(post(`${base()}/case-plan`, 'caseworker.ngo', { servicesNeeded: ['mhpss', 'shelter'], plan: CASE_PLAN }));
      await ok(post(`${base()}/safety-assessments`, 'caseworker.ngo', { riskLevel: 'medium', plan: SAFETY_PLAN, flags: [] }));
    },
    reReferred: async () => {
      mhpssAtClinic = await ok(post(`${base()}/referrals`, 'caseworker.ngo', mhpssAtTheClinic()));
      await ok(
        post(`${base()}/referrals/${mhpssAtClinic}/decline`, 'caseworker.clinic', {
          reason: 'no_capacity',
          note: 'Counsellor on leave until March.',
        }),
      );
      mhpssAtSocial = await ok(post(`${base()}/referrals/${mhpssAtClinic}/re-referral`, 'caseworker.ngo', { toAgencyId: agencies.social }));
      await ok(post(`${base()}/referrals/${mhpssAtSocial}/accept`, 'caseworker.social'));
    },
    shelterReferred: async () => {
      shelterReferral = await ok(post(`${base()}/referrals`, 'caseworker.ngo', toTheShelter()));
      await ok(post(`${base()}/referrals/${shelterReferral}/accept`, 'caseworker.shelter'));
    },
    paused: () => ok(post(`${base()}/interruption`, 'caseworker.ngo', { reason: 'lost_contact', note: INTERRUPTION_NOTE })),
    resumed: async () => {
      await ok(post(`${base()}/resumption`, 'caseworker.ngo'));
      await ok(
        post(`${base()}/referrals/${shelterReferral}/complete`, 'caseworker.shelter', { outcome: 'Stayed two weeks, moved to family.' }),
      );
      await ok(post(`${base()}/referrals/${mhpssAtSocial}/complete`, 'caseworker.social', { outcome: 'Six sessions.' }));
    },
  };
  /** A new case walked through every step up to `last`, the ids of the walk set for the scenario. */
  const walkedThrough = async (last: Step) => {
    for (const step of STEPS.slice(0, STEPS.indexOf(last) + 1)) await steps[step]();
  };
  const referralIn = (view: { referrals: Array<{ referralId: string }> }, referralId: string) =>
    view.referrals.find((r) => r.referralId === referralId);
  const userId = async (username: string) =>
    (await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id;

  it('detection: a national NGO records a concern with observed indicators; no other agency knows of it', async () => {
    const opened = await t.http
      .post('/cases')
      .set(await owner())
      .send(OPENING)
      .expect(201);
    caseId = opened.body.caseId;
    for (const username of ['caseworker.social', 'caseworker.clinic', 'caseworker.shelter']) expectProblem(await viewOf(username), 404);
  });

  it('suggests the trained agencies for an in-depth interview, saying what consent is missing in words and in codes', async () => {
    await walkedThrough('opened');
    const response = await t.http
      .get(`${base()}/referral-suggestions?serviceType=in_depth_interview`)
      .set(await owner())
      .expect(200);
    const social = response.body.suggestions.find((s: { agencyId: string }) => s.agencyId === agencies.social);
    expect(social).toMatchObject({
      available: true,
      consent: {
        covered: [],
        missing: ['identity'],
        needed: expect.stringContaining('consent to share identity'),
        neededBasis: {
          recipient: { agencyId: agencies.social, agencyKind: social.agencyKind },
          purpose: 'service_provision',
          serviceType: 'in_depth_interview',
          categories: ['identity'],
          consent: 'any',
          bestInterests: false,
          namedAgency: false,
          refused: false,
          withheldBySafetyFlag: [],
        },
      },
    });
  });

  it("records the person's consent, one provision per agency and purpose", async () => {
    await walkedThrough('opened');
    await post(`${base()}/consents`, 'caseworker.ngo', CONSENT(agencies)).then((r) => expect(r.status).toBe(201));
    const response = await t.http
      .get(`${base()}/referral-suggestions?serviceType=in_depth_interview&categories=identity,demographics`)
      .set(await owner())
      .expect(200);
    expect(response.body.suggestions.find((s: { agencyId: string }) => s.agencyId === agencies.social).consent).toEqual({
      covered: ['identity', 'demographics'],
      missing: [],
    });
  });

  it('screening: no in-depth interview before indicators are confirmed', async () => {
    await walkedThrough('consented');
    const before = (await allEvents(t.store)).length;
    expectProblem(await post(`${base()}/referrals`, 'caseworker.ngo', interview()), 409, /screening/);
    expect((await allEvents(t.store)).length).toBe(before);
    expect((await post(`${base()}/screening`, 'caseworker.ngo', SCREENING)).status).toBe(201);
    const referred = await post(`${base()}/referrals`, 'caseworker.ngo', interview());
    expect(referred.status).toBe(201);
    interviewId = referred.body.referralId;
  });

  it('verification: the trained agency sees what was shared for the interview, and records the outcome', async () => {
    await walkedThrough('interviewReferred');
    const seen = await recipientView('caseworker.social');
    expect(seen.personalData).toEqual({ identity: PERSON.identity, demographics: PERSON.demographics });
    expect(referralIn(seen, interviewId)).toMatchObject({ serviceType: 'in_depth_interview', status: 'requested' });
    for (const username of ['caseworker.clinic', 'caseworker.shelter']) expectProblem(await viewOf(username), 404);

    const identify = () => post(`${base()}/referrals/${interviewId}/identification`, 'caseworker.social', { outcome: 'trafficked_person' });
    expectProblem(await identify(), 409, /accept it/);
    expect((await post(`${base()}/referrals/${interviewId}/accept`, 'caseworker.social')).status).toBe(200);
    expectProblem(await post(`${base()}/referrals/${interviewId}/identification`, 'caseworker.clinic', { outcome: 'not_trafficked' }), 404);
    expect((await identify()).status).toBe(201);
    expect(
      (
        await post(`${base()}/referrals/${interviewId}/complete`, 'caseworker.social', {
          outcome: 'Interview held with a Kanuri interpreter.',
        })
      ).status,
    ).toBe(200);

    const own = (await viewOf('caseworker.ngo')).body;
    expect(own.path.identification).toMatchObject({ outcome: 'trafficked_person', agencyId: agencies.social, referralId: interviewId });
    expect(own.path.screening).toMatchObject({ outcome: 'indicators_confirmed' });
    expect(own.indicators).toEqual(['work.forced_to_work', 'control.no_control_of_documents', 'physical.untreated_injuries_or_illness']);
    expect(referralIn(await recipientView('caseworker.social'), interviewId)).toMatchObject({ status: 'completed' });
  });

  it('intake, case plan and safety plan: recorded by the owner, the plans encrypted', async () => {
    await walkedThrough('identified');
    expectProblem(await post(`${base()}/case-plan`, 'caseworker.ngo', { servicesNeeded: ['mhpss'], plan: CASE_PLAN }), 409, /intake first/);
    expectProblem(
      await post(`${base()}/intake`, 'caseworker.ngo', { caseworkerId: await userId('caseworker.shelter') }),
      422,
      /caseworker/,
    );
    expect((await post(`${base()}/intake`, 'caseworker.ngo', { caseworkerId: await userId('caseworker.ngo') })).status).toBe(201);
    expect((await post(`${base()}/case-plan`, 'caseworker.ngo', { servicesNeeded: ['mhpss', 'shelter'], plan: CASE_PLAN })).status).toBe(
      201,
    );
    expect(
      (await post(`${base()}/safety-assessments`, 'caseworker.ngo', { riskLevel: 'medium', plan: SAFETY_PLAN, flags: [] })).status,
    ).toBe(201);
    // An agency that only receives the case cannot write its plans.
    expectProblem(await post(`${base()}/case-plan`, 'caseworker.social', { servicesNeeded: ['mhpss'], plan: 'x' }), 403);

    const own = (await viewOf('caseworker.ngo')).body;
    expect(own.path).toMatchObject({
      intake: { caseworkerId: await userId('caseworker.ngo') },
      casePlan: { servicesNeeded: ['mhpss', 'shelter'], plan: CASE_PLAN },
      safetyAssessment: { riskLevel: 'medium' },
    });
    expect(own.personalData.safety).toEqual({ riskLevel: 'medium', plan: SAFETY_PLAN });
    const stored = JSON.stringify((await t.store.readStream(`case-${caseId}`)).map((e) => e.data));
    for (const text of [CASE_PLAN, SAFETY_PLAN]) expect(stored).not.toContain(text);
    // The safety plan is not shared with the trained agency: its consent does not name the safety category.
    expect((await recipientView('caseworker.social')).personalData.safety).toBeUndefined();
  });

  it('referral one: declined by the clinic with a reason, then re-referred to another agency', async () => {
    await walkedThrough('planned');
    const referred = await post(`${base()}/referrals`, 'caseworker.ngo', mhpssAtTheClinic());
    expect(referred.status).toBe(201);
    mhpssAtClinic = referred.body.referralId;
    const atClinic = await recipientView('caseworker.clinic');
    expect(atClinic.personalData).toEqual({ identity: PERSON.identity });
    expect(referralIn(atClinic, mhpssAtClinic)).toMatchObject({ serviceType: 'mhpss', urgency: 'high', status: 'requested' });

    expectProblem(
      await post(`${base()}/referrals/${mhpssAtClinic}/re-referral`, 'caseworker.ngo', { toAgencyId: agencies.social }),
      409,
      /only a declined referral/,
    );
    expectProblem(await post(`${base()}/referrals/${mhpssAtClinic}/decline`, 'caseworker.clinic', { reason: 'not_a_reason' }), 400);
    expect(
      (
        await post(`${base()}/referrals/${mhpssAtClinic}/decline`, 'caseworker.clinic', {
          reason: 'no_capacity',
          note: 'Counsellor on leave until March.',
        })
      ).status,
    ).toBe(200);
    const declined = await recipientView('caseworker.clinic');
    expect(declined.personalData).toEqual({});
    expect(declined.withdrawn).toEqual([expect.objectContaining({ category: 'identity', reason: 'referral_declined' })]);

    // The declined need goes to a service the police do not offer: refused, naming why, and nothing is written.
    const before = (await allEvents(t.store)).length;
    expectProblem(
      await post(`${base()}/referrals/${mhpssAtClinic}/re-referral`, 'caseworker.ngo', { toAgencyId: agencies.police }),
      422,
      /does not offer mhpss/,
    );
    expect((await allEvents(t.store)).length).toBe(before);

    const again = await post(`${base()}/referrals/${mhpssAtClinic}/re-referral`, 'caseworker.ngo', { toAgencyId: agencies.social });
    expect(again.status).toBe(201);
    mhpssAtSocial = again.body.referralId;
    expectProblem(
      await post(`${base()}/referrals/${mhpssAtClinic}/re-referral`, 'caseworker.ngo', { toAgencyId: agencies.social }),
      409,
      /already re-referred/,
    );
    const own = (await viewOf('caseworker.ngo')).body;
    expect(referralIn(own, mhpssAtSocial)).toMatchObject({
      reReferralOf: mhpssAtClinic,
      serviceType: 'mhpss',
      urgency: 'high',
      toAgencyId: agencies.social,
      status: 'requested',
    });
    expect(referralIn(await recipientView('caseworker.social'), mhpssAtSocial)).toMatchObject({
      serviceType: 'mhpss',
      status: 'requested',
    });
    // The clinic learns nothing of where the need went.
    expect(JSON.stringify(await recipientView('caseworker.clinic'))).not.toContain(mhpssAtSocial);
    expect((await post(`${base()}/referrals/${mhpssAtSocial}/accept`, 'caseworker.social')).status).toBe(200);
  });

  it('refuses a referral to a shelter that is full, naming why, and suggests it as unavailable', async () => {
    await walkedThrough('consented');
    const services = await t.http
      .get(`/directory/services?serviceType=shelter&agencyId=${agencies.shelter}`)
      .set(await owner())
      .expect(200);
    const shelterService = services.body[0].serviceId as string;
    const capacity = (available: number) => post(`/directory/services/${shelterService}/capacity`, 'caseworker.shelter', { available });
    expect((await capacity(0)).status).toBe(200);
    const before = (await allEvents(t.store)).length;
    expectProblem(await referToShelter(), 409, /full/);
    expect((await allEvents(t.store)).length).toBe(before);
    const suggested = await t.http
      .get(`${base()}/referral-suggestions?serviceType=shelter&categories=identity,safety`)
      .set(await owner())
      .expect(200);
    expect(suggested.body.suggestions.find((s: { agencyId: string }) => s.agencyId === agencies.shelter)).toMatchObject({
      available: false,
      unavailableReason: expect.stringMatching(/full/),
      unavailable: { kind: 'full', serviceType: 'shelter', capacity: { total: expect.any(Number), available: 0 } },
      consent: { covered: ['identity', 'safety'], missing: [] },
    });
    expect((await capacity(2)).status).toBe(200);
  });

  it('referral two: to the shelter, which sees identity and the safety plan only', async () => {
    await walkedThrough('reReferred');
    const referred = await post(`${base()}/referrals`, 'caseworker.ngo', toTheShelter());
    expect(referred.status).toBe(201);
    shelterReferral = referred.body.referralId;
    const atShelter = await recipientView('caseworker.shelter');
    expect(atShelter.personalData).toEqual({ identity: PERSON.identity, safety: { riskLevel: 'medium', plan: SAFETY_PLAN } });
    expect(atShelter.status).toBe('open');
    expect(referralIn(atShelter, shelterReferral)).toMatchObject({ urgency: 'immediate', status: 'requested' });
    expect((await post(`${base()}/referrals/${shelterReferral}/accept`, 'caseworker.shelter')).status).toBe(200);
  });

  it('interruption: the case pauses, open referrals go on hold (not lost), and nothing is taken further meanwhile', async () => {
    await walkedThrough('shelterReferred');
    const paused = await post(`${base()}/interruption`, 'caseworker.ngo', { reason: 'lost_contact', note: INTERRUPTION_NOTE });
    expect(paused.status).toBe(200);
    const atShelter = await recipientView('caseworker.shelter');
    expect(atShelter.status).toBe('paused');
    expect(referralIn(atShelter, shelterReferral)).toMatchObject({ status: 'accepted', onHold: true });
    expect(referralIn(await recipientView('caseworker.social'), mhpssAtSocial)).toMatchObject({ status: 'accepted', onHold: true });
    // Closed for good earlier: not held.
    expect(referralIn(await recipientView('caseworker.social'), interviewId)).not.toHaveProperty('onHold');
    expectProblem(
      await post(`${base()}/referrals/${shelterReferral}/complete`, 'caseworker.shelter', { outcome: 'Stayed two weeks.' }),
      409,
      /on hold/,
    );
    const inbox = await t.http
      .get('/referrals?direction=incoming')
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    expect(inbox.body.items.find((r: { referralId: string }) => r.referralId === shelterReferral)).toMatchObject({
      status: 'accepted',
      onHold: true,
    });
    // The owner's worklist shows it as open but static; there is no way to search for the person.
    const pausedCases = await t.http
      .get('/cases?status=paused')
      .set(await owner())
      .expect(200);
    expect(pausedCases.body.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
    expect((await t.http.get('/cases/search?name=Hauwa').set(await owner())).status).not.toBe(200);
  });

  it('resumption: the person reconnects; the referrals go on, and are completed', async () => {
    await walkedThrough('paused');
    expect((await post(`${base()}/resumption`, 'caseworker.ngo')).status).toBe(200);
    expect(referralIn(await recipientView('caseworker.shelter'), shelterReferral)).not.toHaveProperty('onHold');
    expect(
      (
        await post(`${base()}/referrals/${shelterReferral}/complete`, 'caseworker.shelter', {
          outcome: 'Stayed two weeks, moved to family.',
        })
      ).status,
    ).toBe(200);
    expect((await post(`${base()}/referrals/${mhpssAtSocial}/complete`, 'caseworker.social', { outcome: 'Six sessions.' })).status).toBe(
      200,
    );
  });

  it('closure and reopening: the history stays whole, and the receiving agencies see the status consent lets them see', async () => {
    await walkedThrough('resumed');
    expect((await post(`${base()}/closure`, 'caseworker.ngo', { reason: 'services_completed' })).status).toBe(200);
    expect((await recipientView('caseworker.shelter')).status).toBe('closed');
    expectProblem(await referToShelter(), 409);
    expect((await post(`${base()}/reopening`, 'caseworker.ngo')).status).toBe(200);

    const own = (await viewOf('caseworker.ngo')).body;
    expect(own.status).toBe('open');
    expect(own.timeline.map((step: { type: string }) => step.type)).toEqual([
      'CaseOpened',
      'ScreeningRecorded',
      'IdentificationRecorded',
      'IntakeRecorded',
      'CasePlanRecorded',
      'SafetyAssessed',
      'CaseInterrupted',
      'CaseResumed',
      'CaseClosed',
      'CaseReopened',
    ]);
    expect(own.timeline.find((step: { type: string }) => step.type === 'CaseInterrupted')).toMatchObject({
      reason: 'lost_contact',
      note: INTERRUPTION_NOTE,
    });
    expect(own.referrals.map((r: { referralId: string; status: string }) => [r.referralId, r.status])).toEqual([
      [interviewId, 'completed'],
      [mhpssAtClinic, 'declined'],
      [mhpssAtSocial, 'completed'],
      [shelterReferral, 'completed'],
    ]);
    const atShelter = await recipientView('caseworker.shelter');
    expect(atShelter).toMatchObject({ status: 'open', personalData: { identity: PERSON.identity } });
    expect(referralIn(atShelter, shelterReferral)).toMatchObject({ status: 'completed' });
    // Social services saw the interview and the MHPSS referral, nothing of the shelter's.
    expect((await recipientView('caseworker.social')).referrals.map((r: { referralId: string }) => r.referralId)).toEqual([
      interviewId,
      mhpssAtSocial,
    ]);
  });
});

describe.each(APP_DRIVERS)('overdue referrals and referrals on hold (%s)', (driver) => {
  const t = useTestApp({ driver });
  /** Senders of the week-old referrals: each scenario its own, so that one's outgoing lists hold only its referral. */
  const SENDERS = {
    'caseworker.social': { agency: 'Social Development', kind: 'government_social_service' },
    'caseworker.ngo': { agency: 'Lake Chad', kind: 'national_ngo' },
  } as const;

  /**
   * A case from a week ago whose urgent referral to the shelter was never answered: decided by the real decider at past
   * times, then stored.
   */
  const referredAWeekAgo = async (username: keyof typeof SENDERS) => {
    const [from, shelter] = [await t.agencyId(SENDERS[username].agency), await t.agencyId('Shelter')];
    const [caseworker] = await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
    const actor = { userId: caseworker!.id, agencyId: from, agencyKind: SENDERS[username].kind };
    const caseId = randomUUID();
    const referralId = randomUUID();
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const commands = [
      openCaseCommand(actor, weekAgo, caseId),
      giveConsentCommand(actor, weekAgo, [shelterGrant(shelter, weekAgo)]),
      shelterReferralCommand(actor, weekAgo, referralId, shelter),
    ];
    await appendDecided(t.store, caseId, commands);
    return { caseId, referralId };
  };

  const overdue = async (username: string, direction: 'incoming' | 'outgoing') =>
    (
      await t.http
        .get(`/referrals?direction=${direction}&overdue=true`)
        .set(await t.bearer(username))
        .expect(200)
    ).body.items.map((r: { referralId: string }) => r.referralId);

  it('lists a referral past its respond-by deadline for the sender and the recipient, and for no one else', async () => {
    const { referralId } = await referredAWeekAgo('caseworker.social');
    expect(
      await eventually(
        () => overdue('caseworker.social', 'outgoing'),
        (ids) => ids.includes(referralId),
      ),
    ).toEqual([referralId]);
    expect(await overdue('caseworker.shelter', 'incoming')).toEqual([referralId]);
    expect(await overdue('caseworker.clinic', 'incoming')).toEqual([]);
    expectProblem(await t.http.get('/referrals?overdue=maybe').set(await t.bearer('caseworker.social')), 400);
  });

  it('takes a held referral off the overdue list, and gives it back no more time than it had left', async () => {
    const { caseId, referralId } = await referredAWeekAgo('caseworker.ngo');
    const sender = 'caseworker.ngo';
    await eventually(
      () => overdue(sender, 'outgoing'),
      (ids) => ids.includes(referralId),
    );
    expect(
      (
        await t.http
          .post(`/cases/${caseId}/interruption`)
          .set(await t.bearer(sender))
          .send({ reason: 'declined_assistance' })
      ).status,
    ).toBe(200);
    expect(await overdue(sender, 'outgoing')).toEqual([]);
    const held = (
      await t.http
        .get('/referrals?direction=outgoing')
        .set(await t.bearer(sender))
        .expect(200)
    ).body.items[0];
    expect(held).toMatchObject({ referralId, status: 'requested', onHold: true });

    expect(
      (
        await t.http
          .post(`/cases/${caseId}/resumption`)
          .set(await t.bearer(sender))
          .send({})
      ).status,
    ).toBe(200);
    // It was already overdue when the case paused: the deadline becomes the moment of resumption.
    expect(await overdue(sender, 'outgoing')).toEqual([referralId]);
    expect(
      (await post(t, `/cases/${caseId}/referrals/${referralId}/decline`, { reason: 'person_declined' }, 'caseworker.shelter')).status,
    ).toBe(200);
    expect(await overdue(sender, 'outgoing')).toEqual([]);
  });
});
