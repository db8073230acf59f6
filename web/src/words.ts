/**
 * The plain words a caseworker reads for the API's codes. One place, so that a later message
 * catalogue (French is wanted too) replaces this file rather than strings scattered in screens.
 */
const CATEGORY: Record<string, string> = {
  identity: 'Identity (name, date of birth)',
  contact: 'Contact details',
  location: 'Where the person is',
  demographics: 'Sex, age band, nationality',
  health: 'Health',
  psychosocial: 'Psychosocial wellbeing',
  trafficking_experience: 'Trafficking experience',
  legal_status: 'Legal status',
  family: 'Family',
  safety: 'Safety and risks',
  case_progress: 'Case progress',
};

const STATUS: Record<string, string> = {
  open: 'Open',
  paused: 'Paused (no contact, nobody searches)',
  closed: 'Closed',
  requested: 'Waiting for an answer',
  acknowledged: 'Seen, not yet answered',
  accepted: 'Accepted',
  declined: 'Declined',
  completed: 'Service given',
  withdrawn: 'Withdrawn',
  live: 'In force',
  expired: 'Expired',
  not_yet_valid: 'Not yet in force',
};

const PURPOSE: Record<string, string> = {
  case_management: 'Case management',
  service_provision: 'Providing a service',
  family_tracing: 'Family tracing',
  legal_assistance: 'Legal assistance',
  phone_case_management: 'Case management by phone',
  law_enforcement_report: 'Report to law enforcement',
  anonymous_statistics: 'Anonymous statistics',
  media: 'Media',
};

const WITHDRAWN_BECAUSE: Record<string, string> = {
  withdrawn: 'The person withdrew consent to share this',
  expired: 'The consent to share this has expired',
  referral_withdrawn: 'The referral was withdrawn',
  referral_declined: 'The referral was declined',
  sharing_narrowed: 'What may be shared was narrowed',
  consent_withdrawn: 'The person withdrew consent',
  safety_flag_raised: 'A safety concern was raised',
  case_closed: 'The case was closed',
};

const words = (table: Record<string, string>) => (code: string | undefined) =>
  code === undefined ? '' : (table[code] ?? code.replace(/_/g, ' '));

export const category = words(CATEGORY);
export const status = words(STATUS);
export const purpose = words(PURPOSE);
export const withdrawnBecause = words(WITHDRAWN_BECAUSE);
/** Service types, event types and other codes read well enough with spaces for underscores. */
export const plain = words({});

/** A date and time in the user's language and time zone. */
export const when = (iso: string | undefined): string =>
  iso === undefined ? '' : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const isOverdue = (respondBy: string, referralStatus: string, onHold?: boolean): boolean =>
  !onHold && (referralStatus === 'requested' || referralStatus === 'acknowledged') && Date.parse(respondBy) < Date.now();
