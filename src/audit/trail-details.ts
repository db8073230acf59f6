import type { CaseEvent } from '../../libs/domain/index.js';

/** The non-personal facts of the events that make up a consent trail; undefined for other events. */
export function trailDetails(event: CaseEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'CaseOpened':
      return { owningAgencyId: event.data.owningAgencyId, ageGroup: event.data.ageGroup, source: event.data.source };
    case 'ConsentGiven': {
      const { consentId, grantor, childAssent, method, language, interpreterUsed, noticeVersion, givenAt, provisions } = event.data;
      return {
        consentId,
        grantor,
        ...(childAssent !== undefined ? { childAssent } : {}),
        method,
        language,
        interpreterUsed,
        noticeVersion,
        givenAt,
        provisions: provisions.map(({ provisionId, recipient, purpose, serviceTypes, categories, validFrom, validUntil }) => ({
          provisionId,
          recipient,
          purpose,
          serviceTypes,
          categories,
          validFrom,
          ...(validUntil ? { validUntil } : {}),
        })),
      };
    }
    case 'ConsentWithdrawn': {
      const { consentId, provisionIds, whole, withdrawnAt } = event.data;
      return { consentId, provisionIds, whole, withdrawnAt };
    }
    case 'ReferralRequested': {
      const { referralId, fromAgencyId, toAgencyId, purpose, serviceType, sharedCategories, legalBasis } = event.data;
      return { referralId, fromAgencyId, toAgencyId, purpose, ...(serviceType ? { serviceType } : {}), sharedCategories, legalBasis };
    }
    case 'ReferralWithdrawn':
      return { referralId: event.data.referralId, cause: event.data.cause };
    case 'BestInterestsDeterminationProposed': {
      // The reasons stay sealed in the case; the trail keeps who, when and the scope.
      const { determinationId, scope } = event.data;
      return { determinationId, scope };
    }
    case 'BestInterestsDetermined':
      return { determinationId: event.data.determinationId, decidedBy: event.data.decidedBy, approvedBy: event.data.by };
    case 'BestInterestsDeterminationRejected':
      return { determinationId: event.data.determinationId };
    case 'ErasureRequested':
      return { requestId: event.data.requestId, reason: event.data.reason };
    case 'ErasureRequestRejected':
      return { requestId: event.data.requestId };
    case 'CaseErased':
      return { requestId: event.data.requestId, reason: event.data.reason, requestedBy: event.data.requestedBy, approvedBy: event.data.by };
    case 'SafetyFlagRaised':
    case 'SafetyFlagLifted':
      // That sharing was narrowed is part of the trail; which risk the person faces is not.
      return {};
    default:
      return undefined;
  }
}

/**
 * When and by whom, as a trail row stores them: the event's metadata turned to text, the recording time when it has none.
 * The projection and the chain verification both read them here, so they read an event alike.
 */
export function trailActor(metadata: Readonly<Record<string, unknown>>, recordedAt: string) {
  /* eslint-disable @typescript-eslint/no-base-to-string -- metadata is JSON: whatever it holds is stored as its text */
  return {
    occurred_at: String(metadata.occurredAt ?? recordedAt),
    actor_user_id: String(metadata.actorUserId ?? ''),
    actor_agency_id: String(metadata.actorAgencyId ?? ''),
  };
  /* eslint-enable @typescript-eslint/no-base-to-string */
}
