import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { EXPORT_PAGE } from '../src/audit/audit.controller.js';
import { read, referredCase } from './support/case-steps.js';
import { APP_DRIVERS, eventually, useTestApp } from './support/test-app.js';

const CASES = 7;

function expectProblem(response: Response, status: number, detail?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (detail) expect(response.body.detail).toMatch(detail);
}

const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(APP_DRIVERS)('paged lists and exports (%s)', (driver) => {
  const t = useTestApp({ driver });
  let shelterId: string;
  const caseIds: string[] = [];
  const referralIds: string[] = [];

  /** Every page of `path` (which already has a query string), following nextCursor; the pages as answered. */
  const allPages = async (path: string, username: string) => {
    const pages: Array<{ items: Array<Record<string, unknown>>; nextCursor?: string }> = [];
    for (let cursor: string | undefined; pages.length === 0 || cursor;) {
      const page = await read(t, `${path}${cursor ? `&cursor=${cursor}` : ''}`, username);
      pages.push(page);
      cursor = page.nextCursor;
    }
    return pages;
  };

  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');
    for (let i = 0; i < CASES; i++) {
      const { caseId, referralId } = await referredCase(t, shelterId, { person: { identity: { fullName: `Paging Person ${i}` } } });
      referralIds.push(referralId);
      caseIds.push(caseId);
    }
    await eventually(
      async () => (await read(t, '/referrals?limit=100', 'caseworker.shelter')).items,
      (items: unknown[]) => items.length === CASES,
    );
  });

  it("pages the receiving agency's referrals: every one exactly once, most recently requested first", async () => {
    const pages = await allPages('/referrals?direction=incoming&limit=3', 'caseworker.shelter');
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    const items = pages.flatMap((p) => p.items) as Array<{ referralId: string; requestedAt: string }>;
    expect(items.map((r) => r.referralId).sort()).toEqual([...referralIds].sort());
    const order = items.map((r) => r.requestedAt);
    expect(order).toEqual([...order].sort().reverse());
    expect(pages.at(-1)).not.toHaveProperty('nextCursor');
  });

  it("pages the sending agency's outgoing referrals under a status filter the same way", async () => {
    const pages = await allPages('/referrals?direction=outgoing&status=requested&limit=4', 'caseworker.social');
    expect(
      pages
        .flatMap((p) => p.items)
        .map((r) => r.referralId)
        .sort(),
    ).toEqual([...referralIds].sort());
  });

  it('shows another agency nothing through a cursor the receiving agency was given', async () => {
    const { nextCursor } = await read(t, '/referrals?limit=1', 'caseworker.shelter');
    const asClinic = await t.http
      .get(`/referrals?limit=100&cursor=${nextCursor}`)
      .set(await t.bearer('caseworker.clinic'))
      .expect(200);
    expect(asClinic.body).toEqual({ items: [] });
  });

  it('refuses a referral cursor it did not give out, and a page size out of bounds', async () => {
    const { nextCursor } = (await read(t, '/referrals?limit=1', 'caseworker.shelter')) as { nextCursor: string };
    const [at, id] = JSON.parse(Buffer.from(nextCursor, 'base64url').toString()) as [string, string];
    for (const cursor of [
      'not-a-cursor',
      `${nextCursor}x`,
      forged([at]),
      forged([at, id, 0]),
      forged([at.replace(/\.\d{3}Z$/, 'Z'), id]),
      forged(['2026-02-31T00:00:00.000Z', id]),
      forged([at, id.toUpperCase()]),
      forged([at, 'not-a-uuid']),
      forged({ at, id }),
    ]) {
      expectProblem(
        await t.http.get(`/referrals?cursor=${encodeURIComponent(cursor)}`).set(await t.bearer('caseworker.shelter')),
        400,
        /cursor/,
      );
    }
    for (const limit of ['0', '101', 'many'])
      expectProblem(await t.http.get(`/referrals?limit=${limit}`).set(await t.bearer('caseworker.shelter')), 400);
  });

  it('pages the access log export by position: every record exactly once, in the order recorded', async () => {
    for (const caseId of caseIds) await read(t, `/cases/${caseId}`, 'caseworker.shelter');
    const pages = await allPages(`/audit/access-log?agencyId=${shelterId}&limit=3`, 'auditor.justice');
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.items).map((r) => r.caseId)).toEqual(caseIds);
  });

  it('pages the consent trail export: the same records as the CSV, each exactly once', async () => {
    const pages = await allPages('/audit/consent-trail?limit=5', 'auditor.justice');
    const items = pages.flatMap((p) => p.items) as Array<{ caseId: string; revision: number; type: string }>;
    expect(items).toHaveLength(CASES * 3); // opened, consent given, referral requested
    const csv = await t.http
      .get('/audit/consent-trail?format=csv')
      .set(await t.bearer('auditor.justice'))
      .expect(200);
    const rows = csv.text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',').slice(0, 3).join(','));
    expect(items.map((r) => `${r.caseId},${r.revision},${r.type}`)).toEqual(rows);
  });

  it('streams every record of a CSV export that spans several database pages', async () => {
    // Written straight into the log: thousands of reads over HTTP would only slow the test. The chain is not checked here.
    const agencyId = '00000000-0000-4000-8000-00000000f00d';
    const count = 2 * EXPORT_PAGE + 345;
    await t.db.query(
      `INSERT INTO personal_data_access (accessed_at, user_id, agency_id, case_id, categories, legal_basis)
       SELECT now(), 'bulk-' || n, $1, $2, ARRAY['identity'], '{"owner":true}' FROM generate_series(0, $3::int - 1) AS n`,
      [agencyId, caseIds[0], count],
    );
    const csv = await t.http
      .get(`/audit/access-log?agencyId=${agencyId}&format=csv`)
      .set(await t.bearer('auditor.justice'))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="access-log.csv"');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('accessedAt,userId,agencyId,caseId,categories,legalBasis');
    expect(lines.at(-1)).toBe(''); // the last record ends with its line break: nothing was cut
    expect(lines.slice(1, -1).map((line) => line.split(',')[1])).toEqual(Array.from({ length: count }, (_, n) => `bulk-${n}`));
  });

  it('refuses a page size or cursor on a CSV export, and an export cursor it did not give out', async () => {
    const auditor = await t.bearer('auditor.justice');
    expectProblem(await t.http.get('/audit/access-log?format=csv&limit=10').set(auditor), 400, /CSV/);
    expectProblem(await t.http.get(`/audit/consent-trail?format=csv&cursor=${forged(['1'])}`).set(auditor), 400, /CSV/);
    const { nextCursor } = (await t.http.get('/audit/consent-trail?limit=1').set(auditor).expect(200)).body as { nextCursor: string };
    for (const [path, cursor] of [
      ['/audit/access-log', nextCursor],
      ['/audit/access-log', forged(['0'])],
      ['/audit/access-log', forged([1])],
      ['/audit/access-log', forged(['99999999999999999999'])],
      ['/audit/consent-trail', forged(['1'])],
      ['/audit/consent-trail', forged([new Date().toISOString(), caseIds[0], -1])],
      ['/audit/consent-trail', forged([new Date().toISOString(), caseIds[0], 2 ** 31])],
    ] as const) {
      expectProblem(await t.http.get(`${path}?cursor=${cursor}`).set(auditor), 400, /cursor/);
    }
    expectProblem(await t.http.get(`/audit/access-log?limit=${EXPORT_PAGE + 1}`).set(auditor), 400);
  });
});
