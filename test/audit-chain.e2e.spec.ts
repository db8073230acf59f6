import { beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '../libs/projections/index.js';
import { post, read, referredCase } from './support/case-steps.js';
import { APP_DRIVERS, useTestApp } from './support/test-app.js';

describe.each(APP_DRIVERS)('the tamper-evident audit chain (%s)', (driver) => {
  const t = useTestApp({ driver });
  const verify = async () => read(t, '/audit/verify', 'auditor.justice');
  const chainEntry = async (kind: string, ref: string) =>
    (await t.db.query<{ seq: number | string }>('SELECT seq FROM audit_chain WHERE kind = $1 AND ref = $2', [kind, ref]))[0]!;
  /** The schema's owner (or a superuser) can switch the append-only guard off: exactly the tampering the chain must reveal. */
  const asTamperer = async (table: string, statement: string, params: unknown[] = []) => {
    await t.owner.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await t.owner.query(statement, params);
    await t.owner.exec(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  };

  beforeAll(async () => {
    const { caseId, consentId } = await referredCase(t, await t.agencyId('Shelter'), {
      person: { identity: { fullName: 'Chain Test-Person' } },
    });
    await read(t, `/cases/${caseId}`);
    await read(t, `/cases/${caseId}`, 'caseworker.shelter');
    expect((await post(t, `/cases/${caseId}/consents/${consentId}/withdrawal`)).status).toBe(200);
  });

  it('chains every event, every consent trail row and every read of personal data, and verifies', async () => {
    const kinds = await t.db.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM audit_chain GROUP BY kind ORDER BY kind',
    );
    expect(kinds).toEqual([
      { kind: 'access', n: 2 },
      { kind: 'consent', n: 5 },
      { kind: 'event', n: 5 },
    ]);
    expect(await verify()).toEqual({ verified: true, entries: 12, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await t.http.get('/audit/verify').set(await t.bearer('caseworker.social'))).status).toBe(403);
  });

  it('exports the access log and the consent trail by case, agency, user and period, as JSON or CSV, with no personal data', async () => {
    const asAuditor = await t.bearer('auditor.justice');
    const shelterId = await t.agencyId('Shelter');
    const byAgency = (await t.http.get(`/audit/access-log?agencyId=${shelterId}`).set(asAuditor).expect(200)).body.items as Array<{
      agencyId: string;
    }>;
    expect(byAgency).toHaveLength(1);
    expect(byAgency[0]).toMatchObject({ agencyId: shelterId, categories: ['identity'] });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await t.http.get(`/audit/access-log?from=${future}`).set(asAuditor).expect(200)).body).toEqual({ items: [] });
    expect((await t.http.get('/audit/consent-trail?userId=').set(asAuditor)).status).toBe(400); // an empty user id is not a filter
    const csv = await t.http.get('/audit/consent-trail?format=csv').set(asAuditor).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('caseId,revision,type,occurredAt,actorUserId,actorAgencyId,details');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual([
      'CaseOpened',
      'ConsentGiven',
      'ReferralRequested',
      'ConsentWithdrawn',
      'ReferralWithdrawn',
    ]);
    for (const body of [JSON.stringify(byAgency), csv.text]) expect(body).not.toContain('Chain Test-Person');
    expect((await t.http.get('/audit/access-log').set(await t.bearer('supervisor.social'))).status).toBe(403);
  });

  it('fails at the entry whose access record was edited in the database, and passes again once it is put back', async () => {
    const [row] = await t.db.query<{ id: number | string; categories: string[] }>(
      'SELECT id, categories FROM personal_data_access ORDER BY id LIMIT 1',
    );
    await asTamperer('personal_data_access', 'UPDATE personal_data_access SET categories = $2 WHERE id = $1', [row!.id, ['nothing']]);
    const { seq } = await chainEntry('access', String(row!.id));
    expect(await verify()).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: Number(seq), kind: 'access', ref: String(row!.id), reason: 'record_changed' },
    });
    await asTamperer('personal_data_access', 'UPDATE personal_data_access SET categories = $2 WHERE id = $1', [row!.id, row!.categories]);
    expect((await verify()).verified).toBe(true);
  });

  it('fails at the entry whose consent trail row was edited', async () => {
    const [row] = await t.db.query<{ event_id: string; details: unknown }>(
      "SELECT event_id, details FROM consent_trail WHERE event_type = 'ConsentGiven'",
    );
    await asTamperer(
      'consent_trail',
      `UPDATE consent_trail SET details = jsonb_set(details, '{method}', '"written"') WHERE event_id = $1`,
      [row!.event_id],
    );
    const { seq } = await chainEntry('consent', row!.event_id);
    expect(await verify()).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: Number(seq), kind: 'consent', reason: 'record_changed' },
    });
    await asTamperer('consent_trail', 'UPDATE consent_trail SET details = $2 WHERE event_id = $1', [
      row!.event_id,
      JSON.stringify(row!.details),
    ]);
    expect((await verify()).verified).toBe(true);
  });

  it('fails at the entry whose event was edited in the event store, whether or not the trail was rebuilt since', async () => {
    const [event] = await t.db.query<{ event_id: string; data: unknown }>(
      "SELECT event_id::text AS event_id, data FROM events WHERE event_type = 'ConsentGiven'",
    );
    await asTamperer('events', `UPDATE events SET data = jsonb_set(data, '{method}', '"written"') WHERE event_id = $1::uuid`, [
      event!.event_id,
    ]);
    const { seq } = await chainEntry('event', event!.event_id);
    expect(await verify()).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: Number(seq), kind: 'event', reason: 'record_changed' },
    });
    await t.app.get(ProjectionRunner).rebuild();
    expect(await verify()).toMatchObject({ verified: false, firstBrokenLink: { seq: Number(seq), reason: 'record_changed' } });
    await asTamperer('events', 'UPDATE events SET data = $2 WHERE event_id = $1::uuid', [event!.event_id, JSON.stringify(event!.data)]);
    await t.app.get(ProjectionRunner).rebuild();
    expect((await verify()).verified).toBe(true);
  });

  it('survives a rebuild of the read models: the consent trail comes back identical', async () => {
    await t.app.get(ProjectionRunner).rebuild();
    expect((await verify()).verified).toBe(true);
  });

  it('fails at a deleted record, and passes again once it is put back', async () => {
    const [last] = await t.db.query<{ id: number | string; row: string }>(
      'SELECT id, to_jsonb(a)::text AS row FROM personal_data_access a ORDER BY id DESC LIMIT 1',
    );
    const { seq } = await chainEntry('access', String(last!.id));
    await asTamperer('personal_data_access', 'DELETE FROM personal_data_access WHERE id = $1', [last!.id]);
    expect(await verify()).toMatchObject({ verified: false, firstBrokenLink: { seq: Number(seq), reason: 'record_missing' } });
    await asTamperer(
      'personal_data_access',
      'INSERT INTO personal_data_access OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::personal_data_access, $1::jsonb)',
      [last!.row],
    );
    expect((await verify()).verified).toBe(true);
  });

  it('fails at a deleted chain entry, and passes again once it is put back', async () => {
    const [entry] = await t.db.query<{ row: string }>('SELECT to_jsonb(c)::text AS row FROM audit_chain c WHERE seq = 3');
    await asTamperer('audit_chain', 'DELETE FROM audit_chain WHERE seq = 3');
    expect(await verify()).toMatchObject({ verified: false, firstBrokenLink: { seq: 3, reason: 'missing_entry' } });
    await asTamperer('audit_chain', 'INSERT INTO audit_chain SELECT * FROM jsonb_populate_record(NULL::audit_chain, $1::jsonb)', [
      entry!.row,
    ]);
    expect((await verify()).verified).toBe(true);
  });
});
