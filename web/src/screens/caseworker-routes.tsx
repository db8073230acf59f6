import type { JSX } from 'preact';
import type { Category, ServiceType } from '../api/types';
import { ConsentReceipt } from './consent-receipt';
import { NewCase } from './new-case';
import { RecordConsent } from './record-consent';
import { Refer } from './refer';

/**
 * The caseworker's own screens under #/cases/: a new case, recording consent (optionally pre-filled
 * from a referral suggestion: agency, service type, categories), referring, and a consent's receipt.
 * Undefined for any other route, which app.tsx then routes.
 */
export function caseworkerScreen(parts: readonly string[]): JSX.Element | undefined {
  const [caseId, area, id, action] = parts;
  if (caseId === 'new' && parts.length === 1) return <NewCase />;
  if (!caseId) return undefined;
  if (area === 'refer' && parts.length === 2) return <Refer caseId={caseId} />;
  if (area === 'consents' && id === 'new') {
    const [agencyId, serviceType, categories] = parts.slice(3);
    return (
      <RecordConsent
        caseId={caseId}
        {...(agencyId ? { agencyId } : {})}
        {...(serviceType ? { serviceType: serviceType as ServiceType } : {})}
        {...(categories ? { categories: categories.split(',') as Category[] } : {})}
      />
    );
  }
  if (area === 'consents' && id && action === 'receipt' && parts.length === 4) return <ConsentReceipt caseId={caseId} consentId={id} />;
  return undefined;
}
