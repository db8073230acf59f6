export const ROLES = [
  'frontline_worker',
  'caseworker',
  'supervisor',
  'agency_admin',
  'network_coordinator',
  'auditor',
  'partner_system',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * The one permission table every route names an action of. A route without an action is refused
 * (see PermissionGuard), so a new route is closed until someone decides who may use it.
 */
export const PERMISSIONS = {
  'case.open': ['frontline_worker', 'caseworker', 'supervisor'],
  // A partner system (an agency's own case software) reads what its agency may read.
  'case.read': ['caseworker', 'supervisor', 'partner_system'],
  // Frontline workers may record consent and refer for an in-depth interview: that is their step in the case path.
  'consent.record': ['frontline_worker', 'caseworker', 'supervisor'],
  'consent.withdraw': ['frontline_worker', 'caseworker', 'supervisor'],
  // Signed consent receipts and their printable text, for the owning agency to hand over or read out.
  // Whoever records a consent can hand the person its receipt.
  'consent.receipt': ['frontline_worker', 'caseworker', 'supervisor'],
  'referral.request': ['frontline_worker', 'caseworker', 'supervisor'],
  // Suggestions weigh the person's demographics (eligibility): for those who may read the case.
  'referral.suggest': ['caseworker', 'supervisor'],
  'referral.respond': ['caseworker', 'supervisor', 'partner_system'],
  'referral.withdraw': ['caseworker', 'supervisor'],
  'case.change-status': ['caseworker', 'supervisor'],
  // Screening, identification, intake and the case plan are trained staff's steps (DOMAIN.md: caseworker).
  'case.manage': ['caseworker', 'supervisor'],
  'referral.list': ['frontline_worker', 'caseworker', 'supervisor', 'partner_system'],
  'safety-flag.manage': ['caseworker', 'supervisor'],
  // Erasure: a supervisor asks; someone else approves (another supervisor of the owning agency, or a coordinator).
  // Not the agency admin: an admin who can create supervisor accounts could otherwise erase alone.
  'case.erase.request': ['supervisor'],
  'case.erase.approve': ['supervisor', 'network_coordinator'],
  'best-interests.propose': ['caseworker', 'supervisor'],
  // The second pair of eyes on a decision for a child is a supervisor's (DOMAIN.md).
  'best-interests.review': ['supervisor'],
  // What waits for that second pair of eyes in the agency's own cases (GET /approvals): ids and who proposed, no personal data.
  'approval.list': ['supervisor'],
  // Auditors read consent trails and access logs, which hold no personal data, and nothing else.
  'audit.read': ['auditor'],
  // FHIR export of a case's consents (no personal data) by the owning agency; auditors export any case under /audit with audit.read.
  'consent.export': ['caseworker', 'supervisor'],
  // An agency's administrator issues and revokes its partner systems' keys and manages its users.
  'api-key.manage': ['agency_admin'],
  'user.manage': ['agency_admin'],
  // The public key the agency's Kafka feed is encrypted to (src/feeds).
  'feed-key.manage': ['agency_admin'],
  'agency.manage': ['network_coordinator'],
  // Anonymous statistics of the whole network and the service map: the coordinator's, and nobody holding cases.
  'report.read': ['network_coordinator'],
  'directory.read': ['frontline_worker', 'caseworker', 'supervisor', 'agency_admin', 'network_coordinator', 'auditor', 'partner_system'],
  // The service directory: coordinators manage it (agency profiles, HSDS import) and maintain any agency's services;
  // an agency admin maintains its own agency's services; its staff say how many places are free (a full shelter says 0).
  'directory.manage': ['network_coordinator'],
  'service.maintain': ['agency_admin', 'network_coordinator'],
  'service.capacity': ['caseworker', 'supervisor', 'agency_admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof PERMISSIONS;

export const mayPerform = (role: Role, action: Action): boolean => (PERMISSIONS[action] as readonly Role[]).includes(role);
