import type { paths } from '../api/schema';
import { api } from '../api/client';
import { Badge, DueBy, ReferralStatus, Show, ShortId, useAgencyName, useLoad } from '../ui';
import { category, plain, purpose, status, when } from '../words';
import { CaseLinks, CaseWork, ReceiptLink } from './case-work';

export type CaseView = paths['/cases/{caseId}']['get']['responses'][200]['content']['application/json'];
type Consent = NonNullable<CaseView['consents']>[number];
type Provision = Consent['provisions'][number];
type Referral = CaseView['referrals'][number];

/** Loads a case as the caller's agency may see it; the owner's view and a receiving agency's differ in what they hold. */
export const useCase = (caseId: string) => useLoad(() => api.GET('/cases/{caseId}', { params: { path: { caseId } } }), [caseId]);

/** The owning agency's case: who the person is, consents and what each provision allows, referrals, and what happened. */
export function CasePage({ caseId }: { caseId: string }) {
  const [loaded, reload] = useCase(caseId);
  const agencyName = useAgencyName();
  const recipientName = (p: Provision) =>
    p.recipient.agencyId ? agencyName(p.recipient.agencyId) : `Any ${plain(p.recipient.agencyKind)}`;

  return (
    <main>
      <Show loaded={loaded}>
        {(view) => (
          <>
            <h1>
              Case <ShortId id={view.caseId} />
            </h1>
            <p>
              {status(view.status)}
              {view.openedAt && ` · opened ${when(view.openedAt)}`}
              {view.ageGroup && ` · ${plain(view.ageGroup)}`}
            </p>
            <div class="actions">
              <button type="button" onClick={reload}>
                Reload
              </button>
              <CaseLinks caseId={caseId} />
            </div>

            <section aria-labelledby="person">
              <h2 id="person">The person</h2>
              <PersonalData data={view.personalData} />
            </section>

            <section aria-labelledby="consents">
              <h2 id="consents">Consents</h2>
              {(view.consents ?? []).length === 0 && <p>No consent recorded yet. Nothing may be shared with other agencies.</p>}
              {(view.consents ?? []).map((consent) => (
                <article class="card" key={consent.consentId} aria-label={`Consent given ${when(consent.givenAt)}`}>
                  <h3>
                    Consent given {when(consent.givenAt)} by the {plain(consent.grantor)}
                  </h3>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Who may receive</th>
                        <th scope="col">For</th>
                        <th scope="col">What</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {consent.provisions.map((p) => (
                        <tr key={p.provisionId}>
                          <td>{recipientName(p)}</td>
                          <td>
                            {purpose(p.purpose)}
                            {p.serviceTypes.length > 0 && `: ${p.serviceTypes.map(plain).join(', ')}`}
                          </td>
                          <td>{p.categories.map(category).join('; ')}</td>
                          <td>
                            {p.status === 'live' ? (
                              <Badge tone="info">{status(p.status)}</Badge>
                            ) : (
                              <Badge tone="muted">{status(p.status)}</Badge>
                            )}
                            {p.validUntil && p.status === 'live' && ` until ${when(p.validUntil)}`}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {consent.provisions.some((p) => p.status === 'live' || p.status === 'not_yet_valid') && (
                    <a class="button" href={`#/cases/${caseId}/consents/${consent.consentId}/withdraw`}>
                      Withdraw this consent
                    </a>
                  )}
                  <ReceiptLink caseId={caseId} consentId={consent.consentId} />
                </article>
              ))}
            </section>

            <section aria-labelledby="referrals">
              <h2 id="referrals">Referrals</h2>
              {view.referrals.length === 0 ? (
                <p>No referrals yet.</p>
              ) : (
                <ReferralTable referrals={view.referrals} agencyName={agencyName} />
              )}
            </section>

            <CaseWork view={view} onDone={reload} />

            <section aria-labelledby="timeline">
              <h2 id="timeline">What happened</h2>
              <ol class="timeline">
                {(view.timeline ?? []).map((step, index) => (
                  <li key={index}>
                    <time dateTime={step.at}>{when(step.at)}</time> {words(step.type)}
                    {step.reason && ` (${plain(step.reason)})`}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
      </Show>
    </main>
  );
}

/** Referrals with who receives them, their status and the date an answer is due by. */
export function ReferralTable({
  referrals,
  agencyName,
}: {
  referrals: readonly Referral[];
  agencyName: (id: string | undefined) => string;
}) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">To</th>
          <th scope="col">Service</th>
          <th scope="col">Status</th>
          <th scope="col">Answer due by</th>
        </tr>
      </thead>
      <tbody>
        {referrals.map((r) => (
          <tr key={r.referralId}>
            <td>{agencyName(r.toAgencyId)}</td>
            <td>{plain(r.serviceType ?? r.purpose)}</td>
            <td>
              <ReferralStatus referral={r} />
            </td>
            <td>
              <DueBy referral={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A camelCase or PascalCase code as words: "ConsentGiven" reads "consent given". */
const words = (code: string) => code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** Personal data by category, each field labelled; an empty category is said to be empty. */
export function PersonalData({ data }: { data: CaseView['personalData'] }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return <p>No personal data recorded.</p>;
  return (
    <dl class="personal">
      {entries.map(([code, fields]) => (
        <div key={code}>
          <dt>{category(code)}</dt>
          <dd>
            {Object.entries(fields)
              .map(
                ([name, value]) =>
                  `${words(name)}: ${typeof value === 'object' && value !== null ? Object.values(value).join(', ') : String(value)}`,
              )
              .join(' · ')}
          </dd>
        </div>
      ))}
    </dl>
  );
}
