import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { CaseEvent, ReferralRequested } from '../libs/domain/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { APP_DRIVERS, type RunningApp, eventually, useTestApp } from './support/test-app.js';
import { consentBody, giveConsent, openCase } from './support/case-steps.js';

const PERSON = {
  identity: { fullName: 'Zainab Report-Person' },
  location: { area: 'Fictional Camp 12' },
};
const PERSONAL_VALUES = [
  'Zainab Report-Person',
  'Fictional Camp 12',
  'referral note for the report test',
  'decline note for the report test',
  'outcome for the report test',
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (start: string, hours: number) => new Date(Date.parse(start) + hours * HOUR).toISOString();
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

/** Referral steps after the request: the event type, hours after the request, and the event's own fields. */
type Step = readonly [type: Exclude<CaseEvent['type'], 'ReferralRequested'> & `Referral${string}`, hours: number, extra?: object];
interface Scripted {
  readonly serviceType: 'shelter' | 'medical';
  readonly area: string;
  readonly requestedAt: string;
  readonly respondBy?: string;
  readonly steps?: readonly Step[];
}

/**
 * Referrals in June 2025, each in a case of its own, appended straight to the event store with
 * chosen times so response times are exact. Shelter in Demo North: eight referrals; medical in
 * Demo South: two.
 */
const JUNE: Readonly<Record<string, Scripted>> = {
  completed: {
    serviceType: 'shelter',
    area: 'Demo North',
    requestedAt: '2025-06-02T00:00:00.000Z',
    steps: [
      ['ReferralAcknowledged', 2],
      ['ReferralAccepted', 6],
      ['ReferralCompleted', 120],
    ],
  },
  declinedFast: {
    serviceType: 'shelter',
    area: 'Demo North',
    requestedAt: '2025-06-03T00:00:00.000Z',
    steps: [['ReferralDeclined', 4, { reason: 'no_capacity' }]],
  },
  declinedSlow: {
    serviceType: 'shelter',
    area: 'Demo North',
    requestedAt: '2025-06-04T00:00:00.000Z',
    steps: [['ReferralDeclined', 10, { reason: 'no_capacity' }]],
  },
  accepted: { serviceType: 'shelter', area: 'Demo North', requestedAt: '2025-06-05T00:00:00.000Z', steps: [['ReferralAccepted', 8]] },
  overdue: { serviceType: 'shelter', area: 'Demo North', requestedAt: '2025-06-06T00:00:00.000Z', respondBy: '2025-06-07T00:00:00.000Z' },
  onHold: { serviceType: 'shelter', area: 'Demo North', requestedAt: '2025-06-07T00:00:00.000Z', steps: [['ReferralPutOnHold', 1]] },
  withdrawn: {
    serviceType: 'shelter',
    area: 'Demo North',
    requestedAt: '2025-06-08T00:00:00.000Z',
    steps: [['ReferralWithdrawn', 3, { cause: 'sender' }]],
  },
  resumed: {
    serviceType: 'shelter',
    area: 'Demo North',
    requestedAt: '2025-06-09T00:00:00.000Z',
    steps: [
      ['ReferralPutOnHold', 1],
      ['ReferralResumed', 2, { respondBy: new Date(Date.now() + 48 * HOUR).toISOString() }],
    ],
  },
  medicalDeclined: {
    serviceType: 'medical',
    area: 'Demo South',
    requestedAt: '2025-06-10T00:00:00.000Z',
    steps: [['ReferralDeclined', 1, { reason: 'not_eligible' }]],
  },
  medicalCompleted: {
    serviceType: 'medical',
    area: 'Demo South',
    requestedAt: '2025-06-11T00:00:00.000Z',
    steps: [
      ['ReferralAccepted', 3],
      ['ReferralCompleted', 50],
    ],
  },
};
const JUNE_PERIOD = 'from=2025-06-01&to=2025-06-30';

/** June's referrals appended to the demo network, read models caught up. */
async function appendJune(t: RunningApp) {
  const social = await t.agencyId('Social Development');
  const recipients = {
    shelter: { id: await t.agencyId('Shelter'), kind: 'shelter' },
    medical: { id: await t.agencyId('Clinic'), kind: 'health' },
  } as const;
  const ids: Record<string, { caseId: string; referralId: string }> = {};
  for (const [name, scripted] of Object.entries(JUNE)) {
    const caseId = randomUUID();
    const referralId = randomUUID();
    const to = recipients[scripted.serviceType];
    const requested: ReferralRequested['data'] = {
      referralId,
      fromAgencyId: social,
      toAgencyId: to.id,
      toAgencyKind: to.kind,
      purpose: 'service_provision',
      serviceType: scripted.serviceType,
      urgency: 'immediate',
      sharedCategories: [],
      legalBasis: [],
      requestedBy: 'report-test',
      requestedAt: scripted.requestedAt,
      respondBy: scripted.respondBy ?? at(scripted.requestedAt, 24),
      serviceId: randomUUID(),
      area: scripted.area,
    };
    const events = [
      {
        type: 'CaseOpened',
        data: {
          caseId,
          owningAgencyId: social,
          openedBy: 'report-test',
          openedAt: scripted.requestedAt,
          source: 'observation',
          indicators: [],
          ageGroup: 'adult',
          personalData: {},
        },
      },
      { type: 'ReferralRequested', data: requested },
      ...(scripted.steps ?? []).map(([type, hours, extra]) => ({
        type,
        data: { referralId, by: 'report-test', at: at(scripted.requestedAt, hours), ...extra },
      })),
    ];
    await t.store.appendToStream(
      `case-${caseId}`,
      events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata: {} })),
      { expectedRevision: 'no_stream' },
    );
    ids[name] = { caseId, referralId };
  }
  const runner = t.app.get(ProjectionRunner);
  await eventually(
    () => runner.lag(),
    (lag) => lag.events === 0,
  );
  return { ids, recipients };
}

/** A report's body, read by the network coordinator. */
const readAsCoordinator = async (t: RunningApp, path: string) =>
  (
    await t.http
      .get(path)
      .set('Authorization', `Bearer ${await t.token('coordinator.justice')}`)
      .expect(200)
  ).body;

describe.each(APP_DRIVERS)('coordinator reports (%s)', (driver) => {
  const t = useTestApp({ driver, settings: { REPORT_MIN_CELL: '1' } });
  let ids: Record<string, { caseId: string; referralId: string }>;
  let httpCaseId: string;
  let shelter: string;
  let clinic: string;
  const get = async (path: string, username = 'coordinator.justice') =>
    t.http.get(path).set('Authorization', `Bearer ${await t.token(username)}`);
  const read = (path: string) => readAsCoordinator(t, path);

  beforeAll(async () => {
    const started = await appendJune(t);
    ({ ids } = started);
    shelter = started.recipients.shelter.id;
    clinic = started.recipients.medical.id;
    // Today's referrals, made and answered over HTTP: counted by the default period, and never shown by id in a report.
    const asOwner = { Authorization: `Bearer ${await t.token('caseworker.social')}` };
    httpCaseId = await openCase(t, { source: 'observation', indicators: ['work.forced_to_work'], person: PERSON });
    await giveConsent(
      t,
      httpCaseId,
      consentBody(
        [
          { recipient: { agencyId: shelter }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity'] },
          { recipient: { agencyId: clinic }, purpose: 'service_provision', serviceTypes: ['medical'], categories: ['identity'] },
        ],
        { language: 'ha', noticeVersion: 'notice-2026-01' },
      ),
    );
    const refer = async (toAgencyId: string, serviceType: string) =>
      (
        await t.http
          .post(`/cases/${httpCaseId}/referrals`)
          .set(asOwner)
          .send({
            toAgencyId,
            purpose: 'service_provision',
            serviceType,
            area: 'Maiduguri',
            sharedCategories: ['identity'],
            note: PERSONAL_VALUES[2],
          })
          .expect(201)
      ).body.referralId;
    const toShelter = await refer(shelter, 'shelter');
    const toClinic = await refer(clinic, 'medical');
    const respond = async (username: string, referralId: string, verb: string, body: object = {}) =>
      t.http
        .post(`/cases/${httpCaseId}/referrals/${referralId}/${verb}`)
        .set('Authorization', `Bearer ${await t.token(username)}`)
        .send(body)
        .expect(200);
    await respond('caseworker.shelter', toShelter, 'accept');
    await respond('caseworker.shelter', toShelter, 'complete', { outcome: PERSONAL_VALUES[4] });
    await respond('caseworker.clinic', toClinic, 'decline', { reason: 'no_capacity', note: PERSONAL_VALUES[3] });
  });

  it("counts June's referrals per service type and area, with exact response times in hours", async () => {
    const report = await read(`/reports/referrals?${JUNE_PERIOD}`);
    expect(report).toMatchObject({ period: { from: '2025-06-01', to: '2025-06-30' }, minimumCell: 1 });
    expect(report.rows).toEqual(
      [
        {
          serviceType: 'shelter',
          area: 'Demo North',
          counts: { requested: 8, accepted: 2, declined: 2, completed: 1, withdrawn: 1, open: 4, overdue: 1 },
          // First responses after 2, 4, 10 and 8 hours; decisions after 6, 4, 10 and 8.
          hoursToFirstResponse: { median: 6, p90: 9.4 },
          hoursToDecision: { median: 7, p90: 9.4 },
          suppressed: false,
        },
        {
          serviceType: 'medical',
          area: 'Demo South',
          counts: { requested: 2, accepted: 1, declined: 1, completed: 1, withdrawn: 0, open: 0, overdue: 0 },
          hoursToFirstResponse: { median: 2, p90: 2.8 },
          hoursToDecision: { median: 2, p90: 2.8 },
          suppressed: false,
        },
      ].sort((a, b) => a.serviceType.localeCompare(b.serviceType)),
    );
  });

  it('counts declines in all, by reason, by service type, and by service type and reason', async () => {
    const report = await read(`/reports/declines?${JUNE_PERIOD}`);
    const nonZero = (rows: Array<{ count: number }>) => rows.filter((r) => r.count !== 0);
    expect(report.total).toEqual({ count: 3, suppressed: false });
    expect(report.byServiceType).toEqual([
      { serviceType: 'shelter', count: 2, suppressed: false },
      { serviceType: 'medical', count: 1, suppressed: false },
    ]);
    expect(report.byReason).toHaveLength(7);
    expect(nonZero(report.byReason)).toEqual([
      { reason: 'no_capacity', count: 2, suppressed: false },
      { reason: 'not_eligible', count: 1, suppressed: false },
    ]);
    expect(report.byServiceTypeAndReason).toHaveLength(14);
    expect(nonZero(report.byServiceTypeAndReason)).toEqual([
      { serviceType: 'shelter', reason: 'no_capacity', count: 2, suppressed: false },
      { serviceType: 'medical', reason: 'not_eligible', count: 1, suppressed: false },
    ]);
  });

  it('counts overdue referrals per receiving agency and service type, not those on hold or with a new deadline after resumption', async () => {
    const { rows, asOf } = await read('/reports/overdue-referrals');
    expect(rows).toEqual([
      {
        agency: { id: shelter, name: 'Safe Haven Women and Girls Shelter (demo)' },
        serviceType: 'shelter',
        overdue: 1,
        maxDaysOverdue: Math.floor((Date.parse(asOf) - Date.parse('2025-06-07T00:00:00.000Z')) / DAY),
      },
    ]);
  });

  it('counts referrals made and answered over HTTP today', async () => {
    const period = `from=${daysAgo(6)}&to=${daysAgo(0)}`;
    const report = await eventually(
      () => read(`/reports/referrals?${period}`),
      (r) =>
        r.rows.reduce(
          (sum: number, row: { counts: { completed: number; declined: number } }) => sum + row.counts.completed + row.counts.declined,
          0,
        ) === 2,
    );
    const counts = Object.fromEntries(
      report.rows.map((row: { serviceType: string; area: string; counts: object }) => [`${row.serviceType} in ${row.area}`, row.counts]),
    );
    expect(counts).toEqual({
      'shelter in Maiduguri': { requested: 1, accepted: 1, declined: 0, completed: 1, withdrawn: 0, open: 0, overdue: 0 },
      'medical in Maiduguri': { requested: 1, accepted: 0, declined: 1, completed: 0, withdrawn: 0, open: 0, overdue: 0 },
    });
    // The default period (the last 90 days) holds today's referrals, not June 2025's.
    const byDefault = await read('/reports/referrals');
    expect(byDefault.rows.map((row: { counts: { requested: number } }) => row.counts.requested)).toEqual([1, 1]);
    const declines = await read(`/reports/declines?${period}`);
    expect(declines.byReason.filter((r: { count: number }) => r.count > 0)).toEqual([
      { reason: 'no_capacity', count: 1, suppressed: false },
    ]);
  });

  it('shows no case id, no referral id and no personal value in any report, and no time of a referral in the overdue counts', async () => {
    const bodies = await Promise.all(
      [
        '/reports/service-map',
        `/reports/referrals?${JUNE_PERIOD}`,
        `/reports/declines?${JUNE_PERIOD}`,
        '/reports/referrals',
        '/reports/declines',
        '/reports/overdue-referrals',
      ].map(async (path) => JSON.stringify(await read(path))),
    );
    const caseIds = [httpCaseId, ...Object.values(ids).map((i) => i.caseId)];
    const referralIds = Object.values(ids).map((i) => i.referralId);
    for (const body of bodies) {
      for (const forbidden of [...caseIds, ...referralIds, ...PERSONAL_VALUES]) expect(body).not.toContain(forbidden);
      expect(body).not.toMatch(/caseId|case_id|referralId|referral_id/);
    }
    const { asOf, ...overdue } = await read('/reports/overdue-referrals');
    expect(JSON.stringify(overdue)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('maps who offers what where from the service directory: active services of active agencies, with their capacity', async () => {
    const shelterName = 'Safe Haven Women and Girls Shelter (demo)';
    const cell = (rows: Array<{ area: string; serviceType: string }>, area: string, serviceType: string) =>
      rows.find((r) => r.area === area && r.serviceType === serviceType);
    const before = (await read('/reports/service-map')).rows;
    expect(cell(before, 'Maiduguri', 'shelter')).toEqual({
      area: 'Maiduguri',
      serviceType: 'shelter',
      agencies: [{ agencyId: shelter, agencyName: shelterName, agencyKind: 'shelter', subcommittees: ['protection'] }],
      capacity: { total: 12, available: 3 },
    });
    expect(cell(before, 'Maiduguri', 'medical')).toMatchObject({ agencies: [{ agencyId: clinic, agencyKind: 'health' }], capacity: null });

    // A closed service adds nothing; an active one adds its agency once and its capacity to the total.
    const asCoordinator = { Authorization: `Bearer ${await t.token('coordinator.justice')}` };
    const service = (name: string, status: string, areas: string[], capacity: object) =>
      t.http
        .post('/directory/services')
        .set(asCoordinator)
        .send({ agencyId: shelter, name, serviceType: 'shelter', status, areas, eligibility: { childrenAccepted: true }, capacity })
        .expect(201);
    await service('Closed annex', 'temporarily closed', ['Maiduguri', 'Demo East'], { total: 5, available: 5 });
    await service('Transit house', 'active', ['Maiduguri', 'Demo East'], { total: 4, available: 1 });
    const after = (await read('/reports/service-map')).rows;
    expect(cell(after, 'Maiduguri', 'shelter')).toMatchObject({ agencies: [{ agencyId: shelter }], capacity: { total: 16, available: 4 } });
    expect(cell(after, 'Demo East', 'shelter')).toMatchObject({ agencies: [{ agencyId: shelter }], capacity: { total: 4, available: 1 } });
    expect(after.map((r: { area: string }) => r.area)).toEqual(
      [...after.map((r: { area: string }) => r.area)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it('is for the network coordinator only, and refuses a malformed, reversed, out-of-range, too long or too short period', async () => {
    for (const username of ['caseworker.social', 'supervisor.social', 'auditor.justice', 'admin.social']) {
      expect((await get('/reports/referrals', username)).status).toBe(403);
    }
    const malformed = /^the request is not valid$/;
    const refusals = {
      'from=2025-06-31': malformed,
      'to=June': malformed,
      'from=2025-06-30T00:00:00Z': malformed,
      'area=x': malformed,
      'from=2025-07-01&to=2025-06-01': /^from must not be after to$/,
      'to=9999-12-31': /^from must be in the years 2000 to 2100$/,
      'from=2025-06-01&to=9999-12-31': /^to must be in the years 2000 to 2100$/,
      'from=1999-12-25&to=2000-01-31': /^from must be in the years 2000 to 2100$/,
      'from=2000-01-01&to=2010-01-08': /^a report period covers at most 3660 days$/,
      'from=2025-06-01&to=2025-06-06': /^a report period covers at least 7 days .*cannot be subtracted/,
      [`from=${daysAgo(0)}`]: /^a report period covers at least 7 days/,
    };
    for (const [query, detail] of Object.entries(refusals)) {
      for (const report of ['referrals', 'declines']) {
        const response = await get(`/reports/${report}?${query}`);
        expect([query, response.status, response.headers['content-type'], response.body.detail]).toEqual([
          query,
          400,
          expect.stringMatching(/^application\/problem\+json/),
          expect.stringMatching(detail),
        ]);
      }
    }
    expect((await get('/reports/referrals?from=2025-06-01&to=2025-06-07')).status).toBe(200);
    expect((await get('/reports/referrals?from=2000-01-01&to=2010-01-07')).status).toBe(200);
  });
});

describe.each(APP_DRIVERS)('coordinator reports with the default minimum cell of 5 (%s)', (driver) => {
  const t = useTestApp({ driver });
  beforeAll(() => appendJune(t));
  const read = (path: string) => readAsCoordinator(t, path);

  it('hides counts from 1 to 4, a small cell whole, and the response times of too few referrals', async () => {
    const report = await read(`/reports/referrals?${JUNE_PERIOD}`);
    expect(report).toMatchObject({ minimumCell: 5, suppression: expect.stringMatching(/^Counts from 1 to 4 are shown as null/) });
    expect(report.rows).toEqual(
      [
        {
          serviceType: 'shelter',
          area: 'Demo North',
          counts: { requested: 8, accepted: null, declined: null, completed: null, withdrawn: null, open: null, overdue: null },
          hoursToFirstResponse: null,
          hoursToDecision: null,
          suppressed: true,
        },
        {
          serviceType: 'medical',
          area: 'Demo South',
          counts: { requested: null, accepted: null, declined: null, completed: null, withdrawn: null, open: null, overdue: null },
          hoursToFirstResponse: null,
          hoursToDecision: null,
          suppressed: true,
        },
      ].sort((a, b) => a.serviceType.localeCompare(b.serviceType)),
    );
  });

  it('hides small decline counts and shows zeros', async () => {
    const report = await read(`/reports/declines?${JUNE_PERIOD}`);
    const shown = (rows: Array<{ reason: string; count: number | null; suppressed: boolean }>) =>
      rows.map((r) => [r.reason, r.count, r.suppressed]);
    expect(shown(report.byReason)).toEqual([
      ['no_capacity', null, true],
      ['not_eligible', null, true],
      ['service_not_offered', 0, false],
      ['person_unreachable', 0, false],
      ['person_declined', 0, false],
      ['safety_concern', 0, false],
      ['other', 0, false],
    ]);
  });

  it('does not suppress the overdue counts: they are operational, not a statistic', async () => {
    expect((await read('/reports/overdue-referrals')).rows).toEqual([expect.objectContaining({ serviceType: 'shelter', overdue: 1 })]);
  });
});

describe.each(APP_DRIVERS)('coordinator reports with a minimum cell of 2 (%s)', (driver) => {
  const t = useTestApp({ driver, settings: { REPORT_MIN_CELL: '2' } });
  beforeAll(() => appendJune(t));
  const read = (path: string) => readAsCoordinator(t, path);

  it('hides what subtraction would give away, within a report and across the two', async () => {
    const [referrals, declines] = await Promise.all([read(`/reports/referrals?${JUNE_PERIOD}`), read(`/reports/declines?${JUNE_PERIOD}`)]);
    // Medical's one decline is hidden; shown beside the 3 in all, shelter's 2 would give it away, and so would
    // shelter's no_capacity 2 in the table and in the referral report: those are hidden too, as their lines need.
    expect(declines.total).toEqual({ count: 3, suppressed: false });
    expect(declines.byServiceType).toEqual([
      { serviceType: 'shelter', count: null, suppressed: true },
      { serviceType: 'medical', count: null, suppressed: true },
    ]);
    expect(declines.byReason.filter((r: { count: number | null }) => r.count !== 0)).toEqual([
      { reason: 'no_capacity', count: null, suppressed: true },
      { reason: 'not_eligible', count: null, suppressed: true },
    ]);
    expect(declines.byServiceTypeAndReason.filter((r: { count: number | null }) => r.count !== 0)).toEqual([
      { serviceType: 'shelter', reason: 'no_capacity', count: null, suppressed: true },
      { serviceType: 'medical', reason: 'not_eligible', count: null, suppressed: true },
    ]);
    const counts = Object.fromEntries(referrals.rows.map((row: { serviceType: string; counts: object }) => [row.serviceType, row.counts]));
    expect(counts).toEqual({
      // open 4 + declined 2 + completed 1 + withdrawn 1 = 8: the 1s hide each other, the 2 is hidden for the declines report.
      shelter: { requested: 8, accepted: 2, declined: null, completed: null, withdrawn: null, open: 4, overdue: null },
      medical: { requested: 2, accepted: null, declined: null, completed: null, withdrawn: 0, open: 0, overdue: 0 },
    });
  });
});
