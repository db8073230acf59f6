import { createHash } from 'node:crypto';
import type { ConsentProvision, ConsentRecipient, DataCategory } from '../../libs/consent-policy/index.js';
import type { ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import { RECEIPT_WORDS } from './receipt-words.js';

/**
 * Consent receipts in the fields of the Kantara Initiative Consent Receipt Specification v1.1.0
 * (2018-02-20): one for a consent as given, one for each withdrawal. Pure: the same events and
 * directory names give the same receipt, byte for byte, so re-signing it gives the same JWS.
 */

export const RECEIPT_VERSION = 'KI-CR-v1.1.0';

/**
 * The reference network (the Borno State task force) works under Nigerian law. A constant until a
 * network in another jurisdiction deploys the service; then it belongs in the configuration.
 */
export const RECEIPT_JURISDICTION = 'NG';

export interface ReceiptPurpose {
  purpose: string;
  purposeCategory: string[];
  consentType: 'EXPLICIT';
  piiCategory: DataCategory[];
  primaryPurpose: boolean;
  termination: string;
  thirdPartyDisclosure: boolean;
  thirdPartyName: string;
}

export interface ReceiptService {
  service: string;
  purposes: ReceiptPurpose[];
}

export interface PiiController {
  piiController: string;
  onBehalf: boolean;
  contact: string;
  address: Record<string, string>;
  email: string;
  phone: string;
  piiControllerUrl?: string;
}

export interface ConsentReceipt {
  version: typeof RECEIPT_VERSION;
  jurisdiction: string;
  /** Seconds since the epoch, as the specification's examples have it. */
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  publicKey: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: PiiController[];
  policyUrl: string;
  services: ReceiptService[];
  sensitive: boolean;
  spiCat: DataCategory[];
}

/** What a receipt is for: the consent as given, or the n-th withdrawal of it (1-based, in stream order). */
export type ReceiptEvent =
  { readonly kind: 'given' } | { readonly kind: 'withdrawal'; readonly number: number; readonly data: ConsentWithdrawn['data'] };

export interface ReceiptInput {
  readonly caseId: string;
  readonly given: ConsentGiven['data'];
  readonly event: ReceiptEvent;
  /** The owning agency's name, from the directory. */
  readonly ownerName: string;
  /** Directory names of the agencies the provisions name. */
  readonly agencyNames: ReadonlyMap<string, string>;
  /** The service's Ed25519 public key (base64url, the JWKS entry's `x`). */
  readonly publicKey: string;
}

/** Categories the law treats as special (health, mental health, what happened, legal status): listed in spiCat. */
export const SPECIAL_CATEGORIES: readonly DataCategory[] = ['health', 'psychosocial', 'trafficking_experience', 'legal_status'];

export function consentReceipt(input: ReceiptInput): ConsentReceipt {
  const { given, event } = input;
  const withdrawal = event.kind === 'withdrawal' ? event.data : undefined;
  // A withdrawal receipt lists what that withdrawal ended, nothing else.
  const provisions = withdrawal ? given.provisions.filter((p) => withdrawal.provisionIds.includes(p.provisionId)) : given.provisions;
  const categories = new Set(provisions.flatMap((p) => p.categories));
  return {
    version: RECEIPT_VERSION,
    jurisdiction: RECEIPT_JURISDICTION,
    consentTimestamp: Math.floor(Date.parse(withdrawal?.withdrawnAt ?? given.givenAt) / 1000),
    collectionMethod: withdrawal ? `withdrawal recorded by the agency (${whole(withdrawal)})` : collectionMethod(given),
    consentReceiptID: receiptId(given.consentId, event),
    publicKey: input.publicKey,
    language: given.language,
    // Pseudonymous: the case id, which means nothing outside the owning agency. Never a name.
    piiPrincipalId: input.caseId,
    // The directory holds a name only; the other fields the specification asks for stay empty until it holds them.
    piiControllers: [{ piiController: input.ownerName, onBehalf: false, contact: input.ownerName, address: {}, email: '', phone: '' }],
    // The notice the person was given is known by its version; no URL of it is known to the service.
    policyUrl: `urn:referral-coordination:consent-notice:${encodeURIComponent(given.noticeVersion)}`,
    services: services(provisions, input.agencyNames, withdrawal),
    // Any record here tells that the person may have been trafficked: every receipt is sensitive.
    sensitive: true,
    spiCat: SPECIAL_CATEGORIES.filter((c) => categories.has(c)),
  };
}

/** One service per recipient, in the order the consent names them; one purpose per provision (never bundled). */
function services(
  provisions: readonly ConsentProvision[],
  names: ReadonlyMap<string, string>,
  withdrawal?: ConsentWithdrawn['data'],
): ReceiptService[] {
  const byRecipient = new Map<string, ReceiptService>();
  for (const p of provisions) {
    const name = recipientName(p.recipient, names);
    const key = 'agencyId' in p.recipient ? `agency:${p.recipient.agencyId}` : `kind:${p.recipient.agencyKind}`;
    if (!byRecipient.has(key)) byRecipient.set(key, { service: `Referral to ${name}`, purposes: [] });
    byRecipient.get(key)!.purposes.push({
      purpose: RECEIPT_WORDS.en.why(p.purpose, p.serviceTypes),
      purposeCategory: [p.purpose],
      consentType: 'EXPLICIT',
      piiCategory: [...p.categories],
      // Each provision was agreed on its own, so each is a primary purpose, none incidental to another.
      primaryPurpose: true,
      termination: withdrawal ? `withdrawn ${withdrawal.withdrawnAt}` : (p.validUntil ?? 'until withdrawn'),
      thirdPartyDisclosure: true,
      thirdPartyName: name,
    });
  }
  return [...byRecipient.values()];
}

/** The recipient as the person knows it: the agency's directory name, or a kind of agency in words. */
export function recipientName(
  recipient: ConsentRecipient,
  names: ReadonlyMap<string, string>,
  language: keyof typeof RECEIPT_WORDS = 'en',
): string {
  const words = RECEIPT_WORDS[language];
  return 'agencyId' in recipient ? (names.get(recipient.agencyId) ?? words.unknownAgency) : words.anyAgencyOfKind[recipient.agencyKind];
}

function collectionMethod(given: ConsentGiven['data']): string {
  const who =
    given.grantor === 'guardian' ? `given by a guardian${given.childAssent ? " with the child's assent" : ''}` : 'given by the person';
  return `${given.method}, ${who}${given.interpreterUsed ? ', through an interpreter' : ''}`;
}

const whole = (withdrawal: ConsentWithdrawn['data']) => (withdrawal.whole ? 'the whole consent' : 'part of the consent');

/** Arbitrary but fixed: the namespace of receipt ids (RFC 9562 name-based UUIDs). */
const RECEIPT_ID_NAMESPACE = '5b0f7c1e-3a54-4d8e-9f61-2c7a9e4b8d10';

/**
 * Derived from the consent id and the event, so fetching a receipt again gives the same id. A
 * withdrawal is named by its instant and provisions, which only that event has.
 */
export function receiptId(consentId: string, event: ReceiptEvent): string {
  const name =
    event.kind === 'given'
      ? `${consentId}/given`
      : `${consentId}/withdrawn/${event.data.withdrawnAt}/${[...event.data.provisionIds].sort().join(',')}`;
  return uuidV5(RECEIPT_ID_NAMESPACE, name);
}

function uuidV5(namespace: string, name: string): string {
  const digest = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
