import { type Problem, api, call } from '../api/client';
import { useWords } from '../i18n';
import { receiptWords } from '../messages/receipt';
import { ProblemMessage, Show, useLoad } from '../ui';
import { useState } from 'preact/hooks';

/**
 * A consent's receipt to print (the print stylesheet leaves only the receipt) or to download: the
 * plain-words text, or the signed JWS a person or auditor can verify against the service's key.
 * Downloads are made in memory from the answer, so the token never goes into a URL.
 */
export function ConsentReceipt({ caseId, consentId }: { caseId: string; consentId: string }) {
  const w = useWords(receiptWords);
  const path = { caseId, consentId };
  const [loaded] = useLoad(
    () => api.GET('/cases/{caseId}/consents/{consentId}/receipt.txt', { params: { path }, parseAs: 'text' }),
    [caseId, consentId],
  );
  const [problem, setProblem] = useState<Problem>();

  const downloadSigned = async () => {
    setProblem(undefined);
    const answer = await call(() => api.GET('/cases/{caseId}/consents/{consentId}/receipt', { params: { path } }));
    if (!answer.ok) setProblem(answer.problem);
    else save(`consent-receipt-${consentId}.jws`, (answer.data as unknown as { jws: string }).jws);
  };

  return (
    <main class="receipt">
      <h1>{w.title}</h1>
      <p class="no-print">{w.intro}</p>
      <Show loaded={loaded}>
        {(text) => (
          <>
            <pre class="receipt-text">{text}</pre>
            <div class="actions no-print">
              <button type="button" onClick={() => window.print()}>
                {w.print}
              </button>
              <button type="button" onClick={() => save(`consent-receipt-${consentId}.txt`, text)}>
                {w.downloadText}
              </button>
              <button type="button" onClick={() => void downloadSigned()}>
                {w.downloadSigned}
              </button>
              <a class="button secondary" href={`#/cases/${caseId}`}>
                {w.back}
              </a>
            </div>
          </>
        )}
      </Show>
      <ProblemMessage problem={problem} />
    </main>
  );
}

function save(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
