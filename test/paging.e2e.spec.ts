import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { EXPORT_PAGE } from '../src/audit/audit.controller.js';
import { CASE_LIST_STATEMENT } from '../src/cases/case-views.reader.js';
import { readAsAgency } from '../src/platform/agency-scope.js';
import { DATABASE_ROLES } from '../src/platform/database-roles.js';
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

  it("pages an agency's own cases changed at the same instant in the list's order, and reads each page from the index without sorting", async () => {
    // As an import or a batch of detections leaves them: 5,000 cases, one updated_at.
    const [{ agency_id: legalId }] = (await t.db.query<{ agency_id: string }>(
      `SELECT agency_id FROM users WHERE username = 'caseworker.legal'`,
    )) as [{ agency_id: string }];
    const at = '2026-11-30T08:00:00.000Z';
    const ids = Array.from({ length: 5000 }, () => randomUUID());
    const rows = ids.map((caseId) => ({
      agency_id: legalId,
      case_id: caseId,
      view: { caseId, owningAgencyId: legalId, status: 'open', ageGroup: 'adult', openedAt: at, updatedAt: at, revision: 1, referrals: [] },
    }));
    await t.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${DATABASE_ROLES.projector}`);
      await tx.query(
        `INSERT INTO agency_case_views (agency_id, case_id, relation, case_status, opened_at, updated_at, revision, view)
         SELECT agency_id, case_id, 'owner', 'open', $2, $2, 1, view FROM jsonb_to_recordset($1::jsonb) AS r(agency_id uuid, case_id uuid, view jsonb)`,
        [JSON.stringify(rows), at],
      );
    });
    await t.owner.exec('ANALYZE agency_case_views');

    const listed = (await allPages('/cases?relation=owner&limit=100', 'caseworker.legal')).flatMap((p) => p.items).map((c) => c.caseId);
    expect(listed).toEqual([...ids].sort().reverse());

    const sorts = async (cursor: [string, string] | [null, null]) => {
      const [plan] = await readAsAgency(t.db, legalId, (tx) =>
        tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${CASE_LIST_STATEMENT}`, [legalId, 'owner', null, ...cursor, 26]),
      );
      const text = JSON.stringify(plan!['QUERY PLAN']);
      return { sorted: /"Node Type":\s*"(Incremental )?Sort"/.test(text), index: text.includes('agency_case_views_list') };
    };
    await expect(sorts([null, null])).resolves.toEqual({ sorted: false, index: true });
    await expect(sorts([at, String(listed[2500])])).resolves.toEqual({ sorted: false, index: true });
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
