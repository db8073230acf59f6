import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { APP_DRIVERS, allEvents, useTestApp } from './support/test-app.js';

/**
 * A refused command writes nothing: no event and no key material. Personal data in a command is
 * sealed under the case's own key, and the first seal creates that key; so sealing must wait until
 * the decider accepts the command, or a refusal would still leave a key behind, and with it an
 * oracle (a key row for a case id that answered 404).
 */
describe.each(APP_DRIVERS)('a refused command writes nothing (%s)', (driver) => {
  const t = useTestApp({ driver });
  const bearer = t.bearer;
  const NOTE = 'Refused-Note-Text at the Fictional Camp';

  /** A case opened without personal data has no key until something is sealed for it. */
  const openCaseWithoutKey = async () => {
    const caseId = (
      await t.http
        .post('/cases')
        .set(await bearer('caseworker.social'))
        .send({ source: 'hotline', ageGroup: 'adult', indicators: [] })
        .expect(201)
    ).body.caseId as string;
    expect(await keyRows(caseId)).toBe(0);
    return caseId;
  };
  const keyRows = async (caseId: string) =>
    (await t.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM case_data_keys WHERE case_id = $1', [caseId]))[0]!.n;
  const allKeyRows = async () => (await t.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM case_data_keys'))[0]!.n;

  /** Runs the request and checks its status, that no event was appended and no key row written anywhere. */
  const expectRefusedWithoutWrites = async (send: () => Promise<{ status: number; text: string }>, status: number) => {
    const [events, keys] = [(await allEvents(t.store)).length, await allKeyRows()];
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.text).not.toContain('Refused-Note-Text');
    expect((await allEvents(t.store)).length).toBe(events);
    expect(await allKeyRows()).toBe(keys);
  };

  it('on a case that does not exist (404)', async () => {
    const caseId = randomUUID();
    await expectRefusedWithoutWrites(
      async () =>
        t.http
          .post(`/cases/${caseId}/referrals/${randomUUID()}/decline`)
          .set(await bearer('caseworker.shelter'))
          .send({ reason: 'no_capacity', note: NOTE }),
      404,
    );
    expect(await keyRows(caseId)).toBe(0);
  });

  it('from an agency that may not see the case (404, as if it did not exist)', async () => {
    const caseId = await openCaseWithoutKey();
    await expectRefusedWithoutWrites(
      async () =>
        t.http
          .post(`/cases/${caseId}/interruption`)
          .set(await bearer('caseworker.ngo'))
          .send({ reason: 'lost_contact', note: NOTE }),
      404,
    );
    expect(await keyRows(caseId)).toBe(0);
  });

  it('in a state that does not allow it (409)', async () => {
    const caseId = await openCaseWithoutKey();
    const owner = await bearer('caseworker.social');
    await t.http.post(`/cases/${caseId}/closure`).set(owner).send({ reason: 'services_completed' }).expect(200);
    await expectRefusedWithoutWrites(
      async () => t.http.post(`/cases/${caseId}/interruption`).set(owner).send({ reason: 'lost_contact', note: NOTE }),
      409,
    );
    expect(await keyRows(caseId)).toBe(0);
  });

  it('with a stale If-Match (412)', async () => {
    const caseId = await openCaseWithoutKey();
    const owner = await bearer('caseworker.social');
    await t.http.post(`/cases/${caseId}/screening`).set(owner).set('If-Match', '"0"').send({ outcome: 'other_needs' }).expect(201);
    await expectRefusedWithoutWrites(
      async () =>
        t.http.post(`/cases/${caseId}/interruption`).set(owner).set('If-Match', '"0"').send({ reason: 'lost_contact', note: NOTE }),
      412,
    );
    expect(await keyRows(caseId)).toBe(0);
  });

  it("while an accepted command with personal data writes the case's key once", async () => {
    const caseId = await openCaseWithoutKey();
    await t.http
      .post(`/cases/${caseId}/interruption`)
      .set(await bearer('caseworker.social'))
      .send({ reason: 'lost_contact', note: NOTE })
      .expect(200);
    expect(await keyRows(caseId)).toBe(1);
    const view = (
      await t.http
        .get(`/cases/${caseId}`)
        .set(await bearer('caseworker.social'))
        .expect(200)
    ).body as { timeline: Array<{ note?: string }> };
    expect(view.timeline.map((e) => e.note).filter(Boolean)).toEqual([NOTE]);
    const stored = JSON.stringify((await allEvents(t.store)).filter((e) => e.streamId === `case-${caseId}`));
    expect(stored).not.toContain('Refused-Note-Text');
  });
});
