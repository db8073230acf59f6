/** The records the audit chain vouches for, as rows of the database and as the content whose hash it keeps. */

export interface ConsentTrailRow {
  event_id: string;
  case_id: string;
  revision: number;
  event_type: string;
  occurred_at: Date | string;
  actor_user_id: string;
  actor_agency_id: string;
  details: unknown;
}
export interface AccessRow {
  id: number | string;
  accessed_at: Date | string;
  user_id: string;
  agency_id: string;
  case_id: string;
  categories: string[];
  legal_basis: unknown;
}

const iso = (value: Date | string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
};

/** What the chain vouches for, as read back from the database: the same functions on append and on verify. */
export const consentContent = (r: ConsentTrailRow) => ({
  eventId: r.event_id,
  caseId: r.case_id,
  revision: r.revision,
  type: r.event_type,
  occurredAt: iso(r.occurred_at),
  actorUserId: r.actor_user_id,
  actorAgencyId: r.actor_agency_id,
  details: r.details,
});
export const accessContent = (r: AccessRow) => ({
  accessedAt: iso(r.accessed_at),
  userId: r.user_id,
  agencyId: r.agency_id,
  caseId: r.case_id,
  categories: r.categories,
  legalBasis: r.legal_basis,
});
/** The whole event but its place in the table: any change of its type, data (sealed values included) or metadata changes the hash. */
export const eventContent = (e: {
  eventId: string;
  streamId: string;
  revision: number | string;
  type: string;
  data: unknown;
  metadata: unknown;
}) => ({
  eventId: e.eventId,
  streamId: e.streamId,
  revision: Number(e.revision),
  type: e.type,
  data: e.data,
  metadata: e.metadata,
});
