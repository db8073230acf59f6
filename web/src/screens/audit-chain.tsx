import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { formatNumber, useWords } from '../i18n';
import { AUDIT } from '../messages/audit';

type Verification =
  | { verified: true; entries: number; head: string }
  | { verified: false; entries: number; firstBrokenLink: { seq?: number; kind?: string; ref?: string; reason: string; detail?: string } };

/** The auditor runs the hash-chain verification (GET /audit/verify) and reads whether it holds, or its first broken link. */
export function AuditChain() {
  const words = useWords(AUDIT);
  const action = useAction();
  const [result, setResult] = useState<Verification>();
  const verify = () =>
    void action.run<Verification>(() => call<Verification>(() => api.GET('/audit/verify'))).then((done) => done && setResult(done.data));
  return (
    <section aria-labelledby="chain">
      <h2 id="chain">{words.chainTitle}</h2>
      <p>{words.chainIntro}</p>
      <button type="button" disabled={action.busy} onClick={verify}>
        {action.busy ? words.verifying : words.verify}
      </button>
      <ActionProblem action={action} />
      <div role="status">
        {result?.verified === true && (
          <p class="verified" data-verified="true">
            {words.verified(formatNumber(result.entries))} {words.head}: <code>{result.head.slice(0, 16)}…</code>
          </p>
        )}
        {result?.verified === false && (
          <div class="problem" data-verified="false">
            <p>{words.broken}</p>
            <h3>{words.firstBroken}</h3>
            <dl class="facts">
              {(['seq', 'kind', 'ref', 'reason', 'detail'] as const).map((field) =>
                result.firstBrokenLink[field] === undefined ? null : (
                  <>
                    <dt>{words.link[field]}</dt>
                    <dd>{String(result.firstBrokenLink[field])}</dd>
                  </>
                ),
              )}
            </dl>
          </div>
        )}
      </div>
    </section>
  );
}
