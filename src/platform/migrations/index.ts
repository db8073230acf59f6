import type { MigrationInterface } from 'typeorm';
import { Baseline1764460800000 } from './1764460800000-baseline.js';
import { AuditChainEventPlaces1796068800000 } from './1796068800000-audit-chain-event-places.js';
import { FeedPseudonymsAndClosing1796068860000 } from './1796068860000-feed-pseudonyms-and-closing.js';
import { DirectoryImports1796068920000 } from './1796068920000-directory-imports.js';
import { PasswordChangeRequired1796069040000 } from './1796069040000-password-change-required.js';
import { CredentialsVersion1796069100000 } from './1796069100000-credentials-version.js';
import { CaseListIndexOrder1796069160000 } from './1796069160000-case-list-index-order.js';

export { runScript } from './run-script.js';

/** A migration: a class named with the time it was written (TypeORM orders and records them by it). */
export type Migration = new () => MigrationInterface;

/** Every version of the schema, oldest first. A new one is appended, never inserted or edited (README: changing the schema). */
export const MIGRATIONS: readonly Migration[] = [
  Baseline1764460800000,
  AuditChainEventPlaces1796068800000,
  FeedPseudonymsAndClosing1796068860000,
  DirectoryImports1796068920000,
  PasswordChangeRequired1796069040000,
  CredentialsVersion1796069100000,
  CaseListIndexOrder1796069160000,
];
