import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';
import { hashPassword } from './password.js';
import type { Role } from './roles.js';

/**
 * A fictional network shaped like the Borno State task force (government services including law
 * enforcement and prosecution, national and international NGOs, UN agencies, a Red Cross
 * society), so a fresh embedded start is usable at once. Names are invented.
 */
const AGENCIES = [
  { key: 'social', name: 'Demo State Ministry of Women Affairs and Social Development', kind: 'government_social_service' },
  { key: 'justice', name: 'Demo State Ministry of Justice', kind: 'prosecution' },
  { key: 'police', name: 'Demo State Police Human Trafficking Desk', kind: 'law_enforcement' },
  { key: 'shelter', name: 'Safe Haven Women and Girls Shelter (demo)', kind: 'shelter' },
  { key: 'ngo', name: 'Lake Chad Community Care Initiative (demo)', kind: 'national_ngo' },
  { key: 'legal', name: 'Sahel Legal Aid Collective (demo)', kind: 'legal_aid' },
  { key: 'clinic', name: 'Maiduguri Road Community Clinic (demo)', kind: 'health' },
  { key: 'intl', name: 'Frontier Relief International (demo)', kind: 'international_ngo' },
  { key: 'un', name: 'UN Migration Agency country office (demo)', kind: 'un_agency' },
  { key: 'redcross', name: 'Demo Red Cross Society, State Branch', kind: 'red_cross_red_crescent' },
] as const satisfies ReadonlyArray<{ key: string; name: string; kind: AgencyKind }>;
export type DemoAgencyKey = (typeof AGENCIES)[number]['key'];
export interface DemoAgency {
  readonly key: DemoAgencyKey;
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
}

/**
 * What another feature adds to the demo network (the service directory does), inside the seed's
 * transaction: the network and its additions are seeded together or not at all.
 */
export const DEMO_NETWORK_EXTENSION = Symbol('DemoNetworkExtension');
export interface DemoNetworkExtension {
  seed(tx: SqlClient, agencies: readonly DemoAgency[]): Promise<void>;
}

const USERS: ReadonlyArray<{ username: string; agency: DemoAgencyKey; role: Role }> = [
  { username: 'frontline.social', agency: 'social', role: 'frontline_worker' },
  { username: 'caseworker.social', agency: 'social', role: 'caseworker' },
  { username: 'supervisor.social', agency: 'social', role: 'supervisor' },
  { username: 'admin.social', agency: 'social', role: 'agency_admin' },
  { username: 'coordinator.justice', agency: 'justice', role: 'network_coordinator' },
  { username: 'auditor.justice', agency: 'justice', role: 'auditor' },
  { username: 'caseworker.shelter', agency: 'shelter', role: 'caseworker' },
  { username: 'admin.shelter', agency: 'shelter', role: 'agency_admin' },
  { username: 'caseworker.clinic', agency: 'clinic', role: 'caseworker' },
  { username: 'caseworker.legal', agency: 'legal', role: 'caseworker' },
  { username: 'caseworker.ngo', agency: 'ngo', role: 'caseworker' },
  { username: 'officer.police', agency: 'police', role: 'caseworker' },
  { username: 'caseworker.redcross', agency: 'redcross', role: 'caseworker' },
  { username: 'partner.shelter', agency: 'shelter', role: 'partner_system' },
];

export interface SeededNetwork {
  readonly password: string;
  readonly credentialsFile: string;
}

/** Seeds once, into an empty directory; returns undefined when agencies already exist. */
export async function seedDemoNetwork(
  db: SqlDatabase,
  dataDir: string,
  extension?: DemoNetworkExtension,
): Promise<SeededNetwork | undefined> {
  // One random password for the demo users, never a known default: the file is readable by the operator only.
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const seeded = await db.transaction(async (tx) => {
    const { count } = (await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM agencies'))[0]!;
    if (count > 0) return false;
    const ids = new Map(AGENCIES.map((a) => [a.key, randomUUID()]));
    for (const agency of AGENCIES) {
      await tx.query('INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3)', [ids.get(agency.key), agency.name, agency.kind]);
    }
    for (const user of USERS) {
      await tx.query('INSERT INTO users (id, username, display_name, agency_id, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)', [
        randomUUID(),
        user.username,
        user.username,
        ids.get(user.agency),
        user.role,
        passwordHash,
      ]);
    }
    await extension?.seed(
      tx,
      AGENCIES.map((agency) => ({ ...agency, id: ids.get(agency.key)! })),
    );
    return true;
  });
  if (!seeded) return undefined;
  const credentialsFile = join(dataDir, 'demo-password');
  await writeFile(credentialsFile, `${password}\n`, { mode: 0o600 });
  return { password, credentialsFile };
}

export const DEMO_USERNAMES = USERS.map((u) => u.username);

/**
 * A real deployment's first account: when no user exists yet, one network coordinator in an
 * agency of its own, whose password goes to a file readable by the operator only (never a log).
 * The coordinator then adds member agencies, each with its first admin.
 */
export async function bootstrapCoordinator(
  db: SqlDatabase,
  dataDir: string,
  username: string,
  agencyName: string,
): Promise<string | undefined> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    const { count } = (await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM users'))[0]!;
    if (count > 0) return false;
    const agencyId = randomUUID();
    await tx.query("INSERT INTO agencies (id, name, kind) VALUES ($1, $2, 'government_social_service')", [agencyId, agencyName]);
    await tx.query(
      "INSERT INTO users (id, username, display_name, agency_id, role, password_hash, password_change_required) VALUES ($1, $2, $2, $3, 'network_coordinator', $4, true)",
      [randomUUID(), username, agencyId, passwordHash],
    );
    return true;
  });
  if (!created) return undefined;
  const file = join(dataDir, 'bootstrap-password');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return file;
}
