import { consentTrail } from './audit/consent-trail.projection.js';
import { caseViews } from './cases/case-views.projection.js';
import { consentDeadlines } from './consent-expiry/consent-deadlines.projection.js';
import { referralInbox } from './referrals/referral-inbox.projection.js';
import { referralFacts } from './reports/referral-facts.projection.js';

/** Every read model of the service, kept by one runner: in-process, `npm run projector` or `npm run rebuild`. */
export const READ_MODELS = [caseViews, referralInbox, consentTrail, referralFacts, consentDeadlines] as const;
export const READ_MODELS_RUNNER = 'read-models';
