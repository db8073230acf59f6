import { describe, expect, it } from '@jest/globals';
import { openCase, post, posted, provision, read } from './support/case-steps.js';
import { useTestApp } from './support/test-app.js';

/**
 * The supervisor's worklist (GET /approvals) misses nothing: determinations left waiting on closed
 * cases do not take the places of newer ones, and a list longer than a page says so with a cursor.
 */
describe('the approvals list', () => {
  const t = useTestApp();

  /** A child's case of the Social Development agency with a best-interests determination waiting for approval. */
  const proposed = async () => {
    const caseId = await openCase(t, { ageGroup: 'child' });
    const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const { determinationId } = await posted(t, 201, `/cases/${caseId}/best-interests-determinations`, {
      scope: [{ ...provision(await t.agencyId('Shelter')), validUntil }],
      reasons: 'Shelter tonight is safer than the street',
    });
    return { caseId, determinationId: determinationId as string };
  };
  /** Every waiting item, following nextCursor page by page. */
  const everyPage = async (limit: number) => {
    const pages: Array<Array<{ caseId: string; id: string }>> = [];
    let cursor: string | undefined;
    do {
      const body = await read(t, `/approvals?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'supervisor.social');
      pages.push(body.items as Array<{ caseId: string; id: string }>);
      cursor = body.nextCursor as string | undefined;
    } while (cursor);
    return pages;
  };

  it('lists a new determination first though more closed cases than a page hold undecided ones', async () => {
    const closed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { caseId } = await proposed();
      expect((await post(t, `/cases/${caseId}/closure`, { reason: 'declined_assistance' })).status).toBe(200);
      closed.push(caseId);
    }
    const fresh = await proposed();

    const [first] = await everyPage(2);
    expect(first?.map((item) => item.id)).toContain(fresh.determinationId);
    const listed = (await everyPage(2)).flat().map((item) => item.caseId);
    expect(listed.filter((caseId) => closed.includes(caseId))).toEqual([]);
  });

  it('pages a list longer than the page size, every item once, oldest first', async () => {
    const waiting = [await proposed(), await proposed(), await proposed()].map((p) => p.determinationId);
    const pages = await everyPage(1);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const ids = pages.flat().map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => waiting.includes(id))).toEqual(waiting);
  });
});
