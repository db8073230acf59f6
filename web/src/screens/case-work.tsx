import { useWords } from '../i18n';
import { caseActionWords } from '../messages/case-actions';
import { type CaseActionProps, CaseStatusActions, SafetyFlags } from './case-actions';
import { CasePath } from './case-path';

/** The case page's ways into the caseworker's screens: recording consent and referring. */
export function CaseLinks({ caseId }: { caseId: string }) {
  const w = useWords(caseActionWords);
  return (
    <>
      <a class="button" href={`#/cases/${caseId}/consents/new`}>
        {w.recordConsent}
      </a>
      <a class="button" href={`#/cases/${caseId}/refer`}>
        {w.refer}
      </a>
    </>
  );
}

export function ReceiptLink({ caseId, consentId }: { caseId: string; consentId: string }) {
  const w = useWords(caseActionWords);
  return (
    <a class="button secondary" href={`#/cases/${caseId}/consents/${consentId}/receipt`}>
      {w.receipt}
    </a>
  );
}

/** What the owning agency does on the case page: the case path's steps, status, safety flags. */
export function CaseWork(props: CaseActionProps) {
  return (
    <>
      <CasePath {...props} />
      <CaseStatusActions {...props} />
      <SafetyFlags {...props} />
    </>
  );
}
