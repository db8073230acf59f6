import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash, linkEntry } from '../libs/audit-chain/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { SqlEventStore } from '../libs/event-store/index.js';
import type { SqlClient, SqlDatabase } from '../libs/sql/index.js';
import { appendToChain } from '../src/audit/audit-chain.js';
import { verifyAuditChain } from '../src/audit/audit-chain-verify.js';
import { accessContent, eventContent } from '../src/audit/chain-content.js';
import { AuditHeadPublisher } from '../src/audit/head-publisher.js';
import { Clock } from '../src/platform/clock.js';
import { EVENT_MAC_KEY } from '../src/platform/persistence.module.js';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config.js';
import { consentBody, giveConsent, openCase, post, provision, read } from './support/case-steps.js';
import { APP_DRIVERS, type TestApp, eventually, startTestApp, useTestApp } from './support/test-app.js';
import { type VerifyCli, buildVerifyCli } from './support/verify-cli.js';

/** Everything the service's own database role could rewrite, with the append-only guards switched off as a superuser can. */
const GUARDED = ['events', 'consent_trail', 'audit_chain', 'personal_data_access'];
class RolledBack extends Error {}

/**
 * The tamperings of issue 12 (items 6 and 7): each one is done in the database, `verify` must name
 * it, and it is undone (rolled back, or put back by hand where the running service had to see it).
 */
describe.each(APP_DRIVERS)('tampering with the database is detected and named (%s)', (driver) => {
  const headsFile = join(tmpdir(), `audit-heads-${randomUUID()}.jsonl`);
  const t = useTestApp({ driver, settings: { AUDIT_HEAD_PUBLISH: `file:${headsFile}` } });
  let auditor: { Authorization: string };
  let macKey: Buffer;
  let caseId: string;
  /** The head as published before any tampering. */
  let published: string;
  const ids: Record<string, string> = {};

  const verify = async (query = '') => (await t.http.get(`/audit/verify${query}`).set(auditor).expect(200)).body;
  const seqOf = async (kind: string, ref: string) =>
    Number((await t.db.query<{ seq: number | string }>('SELECT seq FROM audit_chain WHERE kind = $1 AND ref = $2', [kind, ref]))[0]!.seq);
  const lastSeq = async () => Number((await t.db.query<{ seq: number | string }>('SELECT max(seq) AS seq FROM audit_chain'))[0]!.seq);
  const eventOf = async (type: string) =>
    (
      await t.db.query<{ event_id: string }>(
        'SELECT event_id::text AS event_id FROM events WHERE stream_id = $1 AND event_type = $2 ORDER BY stream_revision LIMIT 1',
        [`case-${caseId}`, type],
      )
    )[0]!.event_id;

  /** Does `work` as a database superuser would, verifies against the published head within the same transaction, and rolls it all back. */
  const tampered = async (work: (tx: SqlClient) => Promise<unknown>, against: 'published head' | 'no head' = 'published head') => {
    const head = against === 'published head' ? published : undefined;
    try {
      await t.owner.transaction(async (tx) => {
        for (const table of GUARDED) await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
        await work(tx);
        // The store read inside the transaction too, where the tampering is.
        const store = new SqlEventStore(Object.assign(Object.create(t.owner) as SqlDatabase, { query: tx.query.bind(tx) }));
        const result = await verifyAuditChain(tx, store, { macKey, ...(head ? { head } : {}), pending: async () => new Set() });
        throw Object.assign(new RolledBack(), { result });
      });
    } catch (error) {
      if (error instanceof RolledBack) return (error as RolledBack & { result: unknown }).result;
      throw error;
    }
    throw new Error('unreachable');
  };
  /** Recomputes every entry from `seq` on, as someone who knows the (public) hashing would: consistent links up to a new head. */
  const rewriteChainFrom = async (tx: SqlClient, seq: number, newContentHash: string) => {
    const rows = await tx.query<{ seq: number | string; kind: string; ref: string; content_hash: string; entry_hash: string }>(
      'SELECT seq, kind, ref, content_hash, entry_hash FROM audit_chain WHERE seq >= $1 - 1 ORDER BY seq',
      [seq],
    );
    let previous = Number(rows[0]!.seq) < seq ? { seq: seq - 1, entryHash: rows[0]!.entry_hash } : undefined;
    for (const row of rows.filter((r) => Number(r.seq) >= seq)) {
      const entry = linkEntry(previous, row.kind, row.ref, Number(row.seq) === seq ? newContentHash : row.content_hash);
      await tx.query('UPDATE audit_chain SET content_hash = $2, prev_hash = $3, entry_hash = $4 WHERE seq = $1', [
        entry.seq,
        entry.contentHash,
        entry.prevHash,
        entry.entryHash,
      ]);
      previous = entry;
    }
  };

  beforeAll(async () => {
    auditor = { Authorization: `Bearer ${await t.token('auditor.justice')}` };
    macKey = t.app.get<Buffer>(EVENT_MAC_KEY);
    const owner = { Authorization: `Bearer ${await t.token('caseworker.social')}` };
    const shelterWorker = { Authorization: `Bearer ${await t.token('caseworker.shelter')}` };
    const shelterId = await t.agencyId('Shelter');
    caseId = await openCase(t, { person: { identity: { fullName: 'Tamper Test-Person' } } });
    const consent = consentBody([provision(shelterId)]);
    await giveConsent(t, caseId, consent);
    const { consentId: second } = await giveConsent(t, caseId, consent);
    const referralId = (
      await t.http
        .post(`/cases/${caseId}/referrals`)
        .set(owner)
        .send({ toAgencyId: shelterId, purpose: 'service_provision', serviceType: 'shelter', sharedCategories: ['identity'] })
        .expect(201)
    ).body.referralId;
    await t.http.post(`/cases/${caseId}/referrals/${referralId}/accept`).set(shelterWorker).send({}).expect(200);
    await t.http.post(`/cases/${caseId}/safety-flags`).set(owner).send({ flag: 'no_phone_contact' }).expect(200);
    await t.http.post(`/cases/${caseId}/consents/${second}/withdrawal`).set(owner).send({}).expect(200);
    await t.http.get(`/cases/${caseId}`).set(owner).expect(200);
    await t.http.get(`/cases/${caseId}`).set(shelterWorker).expect(200);
    await eventually(
      () => t.app.get(ProjectionRunner).lag(),
      (lag) => lag.events === 0,
    );
    for (const type of ['ConsentGiven', 'ConsentWithdrawn', 'ReferralRequested', 'ReferralAccepted', 'SafetyFlagRaised'])
      ids[type] = await eventOf(type);
    const before = await verify();
    expect(before).toMatchObject({ verified: true });
    published = before.head;
  });
  afterAll(() => rm(headsFile, { force: true }));

  it('verifies the untouched chain against the published head, and names a head the chain never held', async () => {
    expect(await verify(`?head=${published}`)).toEqual({
      verified: true,
      entries: await lastSeq(),
      head: published,
      publishedHead: { head: published, seq: await lastSeq() },
    });
    expect(await verify(`?head=${'ab'.repeat(32)}`)).toMatchObject({ verified: false, firstBrokenLink: { reason: 'head_not_in_chain' } });
    const bad = await t.http.get('/audit/verify?head=not-a-hash').set(auditor);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  /** Verifies with the first event of `type` changed at `path` (jsonb_set) to `value`: it must be named at that event. */
  const expectNamedWhenEdited = async (type: string, path: string, value: unknown) => {
    const result = await tampered((tx) =>
      tx.query('UPDATE events SET data = jsonb_set(data, $2::text[], $3::jsonb) WHERE event_id = $1::uuid', [
        ids[type],
        path,
        JSON.stringify(value),
      ]),
    );
    expect(result).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: await seqOf('event', ids[type]!), kind: 'event', ref: ids[type], reason: 'record_changed' },
    });
  };

  it('a consent edited in the event store (another recipient) is named at its event', async () => {
    await expectNamedWhenEdited('ConsentGiven', '{provisions,0,recipient}', { agencyId: await t.agencyId('Police') });
  });

  it('which safety flag was raised: another flag is named at its event', async () => {
    await expectNamedWhenEdited('SafetyFlagRaised', '{flag}', 'location_must_not_be_shared');
  });

  it('a referral event edited (more categories shared) is named at its event', async () => {
    await expectNamedWhenEdited('ReferralRequested', '{sharedCategories}', ['identity', 'location']);
  });

  it('a referral event deleted is named as missing', async () => {
    const result = await tampered((tx) => tx.query('DELETE FROM events WHERE event_id = $1::uuid', [ids.ReferralAccepted]));
    expect(result).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: await seqOf('event', ids.ReferralAccepted!), kind: 'event', reason: 'record_missing' },
    });
  });

  it('an event moved to another case, or two events swapped in their stream, or its actor changed, is named', async () => {
    const moved = await tampered((tx) =>
      tx.query('UPDATE events SET stream_id = $2 WHERE event_id = $1::uuid', [ids.SafetyFlagRaised, `case-${randomUUID()}`]),
    );
    // Verify reads each event where the chain recorded it (any store can look there): moved away, it is missing there.
    expect(moved).toMatchObject({ firstBrokenLink: { kind: 'event', ref: ids.SafetyFlagRaised, reason: 'record_missing' } });
    const swapped = await tampered(async (tx) => {
      const [a, b] = [ids.ConsentGiven, ids.ReferralRequested];
      const revision = async (id: string) =>
        (await tx.query<{ r: string }>('SELECT stream_revision::text AS r FROM events WHERE event_id = $1::uuid', [id]))[0]!.r;
      const [ra, rb] = [await revision(a!), await revision(b!)];
      await tx.query('UPDATE events SET stream_revision = -1 WHERE event_id = $1::uuid', [a]);
      await tx.query('UPDATE events SET stream_revision = $2 WHERE event_id = $1::uuid', [b, ra]);
      await tx.query('UPDATE events SET stream_revision = $2 WHERE event_id = $1::uuid', [a, rb]);
    });
    expect(swapped).toMatchObject({ firstBrokenLink: { kind: 'event', ref: ids.ConsentGiven, reason: 'record_changed' } });
    const actor = await tampered((tx) =>
      tx.query(`UPDATE events SET metadata = jsonb_set(metadata, '{actorUserId}', '"someone-else"') WHERE event_id = $1::uuid`, [
        ids.ConsentWithdrawn,
      ]),
    );
    expect(actor).toMatchObject({ firstBrokenLink: { kind: 'event', ref: ids.ConsentWithdrawn, reason: 'record_changed' } });
  });

  it('a forged ConsentGiven inserted into the store and chained like a real one is named as not authentic', async () => {
    const forged = randomUUID();
    const result = await tampered(async (tx) => {
      const [genuine] = await tx.query<{ data: Record<string, unknown>; metadata: Record<string, unknown>; stream_revision: string }>(
        'SELECT data, metadata, (SELECT max(stream_revision) + 1 FROM events WHERE stream_id = $2)::text AS stream_revision FROM events WHERE event_id = $1::uuid',
        [ids.ConsentGiven, `case-${caseId}`],
      );
      // The genuine event's MAC copied along: it does not fit the forged event.
      await tx.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, $2, $3, 'ConsentGiven', $4, $5)`,
        [
          `case-${caseId}`,
          genuine!.stream_revision,
          forged,
          JSON.stringify({ ...genuine!.data, consentId: randomUUID() }),
          JSON.stringify(genuine!.metadata),
        ],
      );
      const [row] = await tx.query<{ stream_id: string; stream_revision: string; event_type: string; data: unknown; metadata: unknown }>(
        'SELECT * FROM events WHERE event_id = $1::uuid',
        [forged],
      );
      await appendToChain(tx, [
        {
          kind: 'event',
          ref: forged,
          content: eventContent({
            eventId: forged,
            streamId: row!.stream_id,
            revision: row!.stream_revision,
            type: row!.event_type,
            data: row!.data,
            metadata: row!.metadata,
          }),
          place: { streamId: row!.stream_id, revision: Number(row!.stream_revision) },
        },
      ]);
    });
    expect(result).toMatchObject({ verified: false, firstBrokenLink: { kind: 'event', ref: forged, reason: 'event_not_authentic' } });
  });

  it('a forged event the projector never reached (no chain entry) is named as unchained', async () => {
    const forged = randomUUID();
    const result = await tampered((tx) =>
      tx.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, 1000, $2, 'ConsentGiven', '{}', '{}')`,
        [`case-${caseId}`, forged],
      ),
    );
    expect(result).toMatchObject({ verified: false, firstBrokenLink: { kind: 'event', ref: forged, reason: 'unchained_record' } });
  });

  it('consent trail rows edited, deleted or added without a chain entry are named', async () => {
    const edited = await tampered((tx) =>
      tx.query(`UPDATE consent_trail SET details = jsonb_set(details, '{method}', '"written"') WHERE event_id = $1::uuid`, [
        ids.ConsentGiven,
      ]),
    );
    expect(edited).toMatchObject({
      firstBrokenLink: { seq: await seqOf('consent', ids.ConsentGiven!), kind: 'consent', reason: 'record_changed' },
    });
    const deleted = await tampered((tx) => tx.query('DELETE FROM consent_trail WHERE event_id = $1::uuid', [ids.ConsentWithdrawn]));
    expect(deleted).toMatchObject({
      firstBrokenLink: { seq: await seqOf('consent', ids.ConsentWithdrawn!), kind: 'consent', reason: 'record_missing' },
    });
    const added = randomUUID();
    const unchained = await tampered((tx) =>
      tx.query(
        'INSERT INTO consent_trail SELECT $2::uuid, case_id, revision, event_type, occurred_at, actor_user_id, actor_agency_id, details FROM consent_trail WHERE event_id = $1::uuid',
        [ids.ConsentGiven, added],
      ),
    );
    expect(unchained).toMatchObject({ firstBrokenLink: { kind: 'consent', ref: added, reason: 'unchained_record' } });
  });

  it('access records edited, deleted or added without a chain entry are named', async () => {
    const [row] = await t.db.query<{ id: string }>('SELECT id::text AS id FROM personal_data_access ORDER BY id LIMIT 1');
    const edited = await tampered((tx) => tx.query("UPDATE personal_data_access SET categories = '{location}' WHERE id = $1", [row!.id]));
    expect(edited).toMatchObject({ firstBrokenLink: { seq: await seqOf('access', row!.id), kind: 'access', reason: 'record_changed' } });
    const deleted = await tampered((tx) => tx.query('DELETE FROM personal_data_access WHERE id = $1', [row!.id]));
    expect(deleted).toMatchObject({ firstBrokenLink: { seq: await seqOf('access', row!.id), reason: 'record_missing' } });
    const added = await tampered((tx) =>
      tx.query(
        'INSERT INTO personal_data_access (accessed_at, user_id, agency_id, case_id, categories, legal_basis) SELECT accessed_at, user_id, agency_id, case_id, categories, legal_basis FROM personal_data_access WHERE id = $1',
        [row!.id],
      ),
    );
    expect(added).toMatchObject({ firstBrokenLink: { kind: 'access', reason: 'unchained_record' } });
  });

  it('a chain entry deleted, edited, or re-linked in the middle is named', async () => {
    expect(await tampered((tx) => tx.query('DELETE FROM audit_chain WHERE seq = 4'))).toMatchObject({
      firstBrokenLink: { seq: 4, reason: 'missing_entry' },
    });
    expect(await tampered((tx) => tx.query(`UPDATE audit_chain SET content_hash = repeat('0', 64) WHERE seq = 4`))).toMatchObject({
      firstBrokenLink: { seq: 4, reason: 'entry_hash_mismatch' },
    });
    const relinked = await tampered(async (tx) => {
      // Entry 5 made to follow another entry 4, its own hash recomputed to match.
      const [entry] = await tx.query<{ kind: string; ref: string; content_hash: string }>(
        'SELECT kind, ref, content_hash FROM audit_chain WHERE seq = 5',
      );
      const forged = linkEntry({ seq: 4, entryHash: 'e'.repeat(64) }, entry!.kind, entry!.ref, entry!.content_hash);
      await tx.query('UPDATE audit_chain SET prev_hash = $1, entry_hash = $2 WHERE seq = 5', [forged.prevHash, forged.entryHash]);
    });
    expect(relinked).toMatchObject({ firstBrokenLink: { seq: 5, reason: 'wrong_previous_hash' } });
    expect(await tampered((tx) => tx.query("UPDATE audit_chain SET prev_hash = 'not a hash' WHERE seq = 2"))).toMatchObject({
      firstBrokenLink: { seq: 2, reason: 'malformed_entry' },
    });
  });

  it('the chain cut short is named against the published head, and by the records left without an entry', async () => {
    const last = await lastSeq();
    const cut = (tx: SqlClient) => tx.query('DELETE FROM audit_chain WHERE seq > $1', [last - 3]);
    expect(await tampered(cut)).toMatchObject({ verified: false, entries: last - 3, firstBrokenLink: { reason: 'head_not_in_chain' } });
    expect(await tampered(cut, 'no head')).toMatchObject({ verified: false, firstBrokenLink: { reason: 'unchained_record' } });
  });

  it('an access record edited and the chain rewritten from it to a new head is named against the published head', async () => {
    const [row] = await t.db.query<{ id: string }>('SELECT id::text AS id FROM personal_data_access ORDER BY id LIMIT 1');
    const seq = await seqOf('access', row!.id);
    const rewrite = async (tx: SqlClient) => {
      const [changed] = await tx.query<Parameters<typeof accessContent>[0]>(
        "UPDATE personal_data_access SET categories = '{location}' WHERE id = $1 RETURNING *",
        [row!.id],
      );
      await rewriteChainFrom(tx, seq, contentHash(accessContent(changed!)));
    };
    expect(await tampered(rewrite)).toMatchObject({ verified: false, firstBrokenLink: { reason: 'head_not_in_chain' } });
    // Without a published head a consistent rewrite cannot be told from the truth: this is what publishing is for.
    expect(await tampered(rewrite, 'no head')).toMatchObject({ verified: true });
  });

  it('an event edited and the chain rewritten to a new head is still named: the event no longer carries a valid MAC', async () => {
    const seq = await seqOf('event', ids.SafetyFlagRaised!);
    const result = await tampered(async (tx) => {
      const [row] = await tx.query<{ stream_id: string; stream_revision: string; event_type: string; data: unknown; metadata: unknown }>(
        `UPDATE events SET data = jsonb_set(data, '{flag}', '"location_must_not_be_shared"') WHERE event_id = $1::uuid RETURNING *`,
        [ids.SafetyFlagRaised],
      );
      await rewriteChainFrom(
        tx,
        seq,
        contentHash(
          eventContent({
            eventId: ids.SafetyFlagRaised!,
            streamId: row!.stream_id,
            revision: row!.stream_revision,
            type: row!.event_type,
            data: row!.data,
            metadata: row!.metadata,
          }),
        ),
      );
    }, 'no head');
    expect(result).toMatchObject({
      verified: false,
      firstBrokenLink: { kind: 'event', ref: ids.SafetyFlagRaised, reason: 'event_not_authentic' },
    });
  });

  it('malformed events (data that is no object, metadata that is JSON null) are named, never thrown on', async () => {
    expect(
      await tampered((tx) => tx.query(`UPDATE events SET data = '"x"', metadata = 'null' WHERE event_id = $1::uuid`, [ids.ConsentGiven])),
    ).toMatchObject({ firstBrokenLink: { kind: 'event', ref: ids.ConsentGiven, reason: 'record_changed' } });
  });

  it('a ConsentWithdrawn turned into a ConsentGiven is named over HTTP (no 500), and passes again once put back', async () => {
    const id = ids.ConsentWithdrawn!;
    const asTamperer = async (statement: string) => {
      await t.owner.exec('ALTER TABLE events DISABLE TRIGGER USER');
      await t.owner.query(statement, [id]);
      await t.owner.exec('ALTER TABLE events ENABLE TRIGGER USER');
    };
    await asTamperer("UPDATE events SET event_type = 'ConsentGiven' WHERE event_id = $1::uuid");
    try {
      expect(await verify(`?head=${published}`)).toMatchObject({
        verified: false,
        firstBrokenLink: { seq: await seqOf('event', id), kind: 'event', ref: id, reason: 'record_changed' },
      });
    } finally {
      await asTamperer("UPDATE events SET event_type = 'ConsentWithdrawn' WHERE event_id = $1::uuid");
    }
    expect((await verify(`?head=${published}`)).verified).toBe(true);
  });

  it('the chain and the consent trail refuse UPDATE, DELETE and TRUNCATE, even to their owner', async () => {
    for (const statement of ['UPDATE audit_chain SET ref = ref', 'DELETE FROM audit_chain', 'TRUNCATE audit_chain']) {
      await expect(t.owner.query(statement)).rejects.toThrow(/the audit chain is append-only/);
    }
    for (const statement of ['UPDATE consent_trail SET revision = revision', 'DELETE FROM consent_trail', 'TRUNCATE consent_trail']) {
      await expect(t.owner.query(statement)).rejects.toThrow(/the consent trail is append-only/);
    }
  });

  it('publishes the head to the configured file, and POSTs it to a configured URL', async () => {
    const publisher = t.app.get(AuditHeadPublisher);
    await publisher.publish();
    const lines = (await readFile(headsFile, 'utf8')).trim().split('\n');
    const { head } = await verify();
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ head, seq: await lastSeq() });

    const received: unknown[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const config = {
        auditHead: {
          target: { kind: 'url', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/heads` },
          intervalSeconds: 3600,
        },
      } as unknown as AppConfig;
      const published = await new AuditHeadPublisher(t.db, config, new Clock()).publish();
      expect(received).toEqual([published]);
      expect(published).toMatchObject({ head, seq: await lastSeq() });
    } finally {
      server.close();
    }
  });
});

/** Its own application: the forged event stays in the store and would break every other verification there. */
describe.each(APP_DRIVERS)('a forged consent inserted while the service runs (%s)', (driver) => {
  const t = useTestApp({ driver });

  it('is projected, chained and named as not authentic', async () => {
    const owner = await t.bearer('caseworker.social');
    const caseId = await openCase(t, { person: { identity: { fullName: 'Tamper Test-Person' } } });
    const consent = consentBody([
      {
        recipient: { agencyId: await t.agencyId('Shelter') },
        purpose: 'service_provision',
        serviceTypes: ['shelter'],
        categories: ['identity'],
      },
    ]);
    await t.http.post(`/cases/${caseId}/consents`).set(owner).send(consent).expect(201);
    await eventually(
      () => t.app.get(ProjectionRunner).lag(),
      (lag) => lag.events === 0,
    );
    const verify = async (query = '') => await read(t, `/audit/verify${query}`, 'auditor.justice');
    const published = (await verify()).head;
    const [given] = await t.db.query<{ event_id: string }>(
      "SELECT event_id::text AS event_id FROM events WHERE stream_id = $1 AND event_type = 'ConsentGiven'",
      [`case-${caseId}`],
    );
    const forged = randomUUID();
    // A consent to the police nobody recorded, with a genuine consent's metadata (and MAC) copied along.
    const police = await t.agencyId('Police');
    await t.db.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata)
       SELECT stream_id, (SELECT max(stream_revision) + 1 FROM events WHERE stream_id = $1), $3::uuid, event_type,
              jsonb_set(jsonb_set(data, '{consentId}', to_jsonb($4::text)), '{provisions,0,recipient}', jsonb_build_object('agencyId', $5::text)), metadata
         FROM events WHERE event_id = $2::uuid`,
      [`case-${caseId}`, given!.event_id, forged, randomUUID(), police],
    );
    await eventually(
      () => t.db.query('SELECT 1 FROM audit_chain WHERE kind = $1 AND ref = $2', ['event', forged]),
      (rows) => rows.length === 1,
    );
    const [entry] = await t.db.query<{ seq: number | string }>('SELECT seq FROM audit_chain WHERE kind = $1 AND ref = $2', [
      'event',
      forged,
    ]);
    expect(await verify(`?head=${published}`)).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: Number(entry!.seq), kind: 'event', ref: forged, reason: 'event_not_authentic' },
    });
  });
});

describe.each(APP_DRIVERS)('npm run verify, the command line (%s)', (driver) => {
  let cli: VerifyCli | undefined;
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  let head: string;

  beforeAll(async () => {
    cli = await buildVerifyCli();
    t = await startTestApp(driver);
    const caseId = await openCase(t, { person: {} });
    const { consentId } = await giveConsent(t, caseId, consentBody([provision(await t.agencyId('Shelter'))]));
    expect((await post(t, `/cases/${caseId}/consents/${consentId}/withdrawal`)).status).toBe(200);
    await eventually(
      () => t.app.get(ProjectionRunner).lag(),
      (lag) => lag.events === 0,
    );
    head = (await read(t, '/audit/verify', 'auditor.justice')).head;
    // The tampering that made the command crash ("Cannot verify: TypeError"): a withdrawal turned into a consent.
    await t.owner.exec('ALTER TABLE events DISABLE TRIGGER USER');
    await t.owner.exec("UPDATE events SET event_type = 'ConsentGiven' WHERE event_type = 'ConsentWithdrawn'");
    await t.owner.exec('ALTER TABLE events ENABLE TRIGGER USER');
    const { DATABASE_URL: _url, MASTER_KEY: _key, ...rest } = process.env;
    const config = t.app.get<AppConfig>(APP_CONFIG);
    env = {
      ...rest,
      DATA_DIR: t.dataDir,
      ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl, MASTER_KEY: config.masterKey } : {}),
    };
    // The embedded database belongs to one process: the service stops first, as the README says.
    if (driver === 'pglite') await t.app.close();
  }, 300_000);

  afterAll(async () => {
    if (driver === 'pglite') await rm(t.dataDir, { recursive: true, force: true });
    else await t?.close();
    await cli?.remove();
  });

  const run = (...args: string[]) => cli!.run(env, ...args);

  it('names the changed event and exits 1, against the published head too', async () => {
    const { code, stdout, stderr } = await run('--head', head);
    expect(stderr).not.toMatch(/TypeError|Cannot verify/);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ verified: false, firstBrokenLink: { kind: 'event', reason: 'record_changed' } });
  });

  it('refuses a head that is not a hash, with exit 2 and a message naming the option', async () => {
    const { code, stderr } = await run('--head', 'latest');
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot verify: --head');
  });
});
