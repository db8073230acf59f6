import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import type { Action, Role } from './roles.js';

/** What the identity tables' triggers announce a change of who may sign in on (see directory.schema.ts). */
export const PRINCIPALS_CHANNEL = 'principals_changed';

export interface ActiveUser {
  readonly userId: string;
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
  readonly role: Role;
  /** Bumped by every password change: a token issued at an older version is no longer honoured. */
  readonly credentialsVersion: number;
}
export interface ActiveApiKey {
  readonly keyId: string;
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
  readonly secretHash: string;
  readonly actions: Action[] | null;
}
export interface ActiveAgency {
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
}

/** Bounds the memory; the whole cache is dropped when it is reached. */
const MAX_ENTRIES = 10_000;
/** A backstop only: a change is announced at once; this bounds how long one could go unnoticed if an announcement were lost. */
const TTL_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The active users, agencies and API keys that credentials stand for, looked up once per
 * credential rather than on every request. Only what may sign in is kept, so an activation takes
 * effect at once. A deactivation, revocation or password change through this service drops the
 * cache before it answers; any change to those tables (another instance, an operator's SQL) is announced by a
 * trigger and drops it in every instance listening (PostgreSQL; PGlite is one process's alone, so
 * every change goes through this process). Entries also expire after a few seconds, in case an
 * announcement is lost with its connection.
 */
@Injectable()
export class Principals implements OnModuleInit, OnModuleDestroy {
  private readonly entries = new Map<string, { value: ActiveUser | ActiveApiKey | ActiveAgency; at: number }>();
  /** Bumped by every change, so a look-up that raced one does not put what it read back in the cache. */
  private generation = 0;
  private unlisten?: () => Promise<void>;

  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async onModuleInit(): Promise<void> {
    if (this.db.listen) this.unlisten = await this.db.listen(PRINCIPALS_CHANNEL, () => this.changed());
  }

  async onModuleDestroy(): Promise<void> {
    await this.unlisten?.();
  }

  /** Who may sign in changed: forget everything looked up so far. */
  changed(): void {
    this.generation++;
    this.entries.clear();
  }

  user(userId: string): Promise<ActiveUser | undefined> {
    return this.cached(`user:${userId}`, userId, async () => {
      const [row] = await this.db.query<{
        id: string;
        agency_id: string;
        agency_kind: AgencyKind;
        role: Role;
        credentials_version: number;
      }>(
        `SELECT u.id, u.agency_id, a.kind AS agency_kind, u.role, u.credentials_version FROM users u JOIN agencies a ON a.id = u.agency_id
          WHERE u.id = $1 AND u.active AND a.active`,
        [userId],
      );
      return (
        row && {
          userId: row.id,
          agencyId: row.agency_id,
          agencyKind: row.agency_kind,
          role: row.role,
          credentialsVersion: row.credentials_version,
        }
      );
    });
  }

  apiKey(keyId: string): Promise<ActiveApiKey | undefined> {
    return this.cached(`key:${keyId}`, keyId, async () => {
      const [row] = await this.db.query<{
        id: string;
        agency_id: string;
        agency_kind: AgencyKind;
        secret_hash: string;
        actions: Action[] | null;
      }>(
        `SELECT k.id, k.agency_id, a.kind AS agency_kind, k.secret_hash, k.actions FROM api_keys k JOIN agencies a ON a.id = k.agency_id
          WHERE k.id = $1 AND k.revoked_at IS NULL AND a.active`,
        [keyId],
      );
      return (
        row && { keyId: row.id, agencyId: row.agency_id, agencyKind: row.agency_kind, secretHash: row.secret_hash, actions: row.actions }
      );
    });
  }

  agency(agencyId: string): Promise<ActiveAgency | undefined> {
    return this.cached(`agency:${agencyId}`, agencyId, async () => {
      const [row] = await this.db.query<{ id: string; kind: AgencyKind }>('SELECT id, kind FROM agencies WHERE id = $1 AND active', [
        agencyId,
      ]);
      return row && { agencyId: row.id, agencyKind: row.kind };
    });
  }

  private async cached<T extends ActiveUser | ActiveApiKey | ActiveAgency>(
    key: string,
    id: string,
    load: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    if (!UUID.test(id)) return undefined;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (value && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, at: now });
    }
    return value;
  }
}
