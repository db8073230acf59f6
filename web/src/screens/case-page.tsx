import type { paths } from '../api/schema';
import { api } from '../api/client';
import { Badge, DueBy, ReferralStatus, Show, ShortId, HeadedTable, useAgencyName, useLoad } from '../ui';
import { formatWhen, useWords } from '../i18n';
import { CASES } from '../messages/cases';
import { CODES } from '../messages/codes';
import {
  ageGroup,
  anyAgency,
  category,
  detail,
  event,
  field,
  fieldValue,
  grantor,
  purposeFor,
  reason,
  referredFor,
  status,
} from '../words';
import { CaseLinks, CaseWork, ReceiptLink } from './case-work';
import { Determinations } from './determinations';

export type CaseView = paths['/cases/{caseId}']['get']['responses'][200]['content']['application/json'];
type Consent = NonNullable<CaseView['consents']>[number];
type Provision = Consent['provisions'][number];
type Referral = CaseView['referrals'][number];

/** Loads a case as the caller's agency may see it; the owner's view and a receiving agency's differ in what they hold. */
export const useCase = (caseId: string) => useLoad(() => api.GET('/cases/{caseId}', { params: { path: { caseId } } }), [caseId]);

/** The owning agency's case: who the person is, consents and what each provision allows, referrals, and what happened. */
export function CasePage({ caseId }: { caseId: string }) {
  const w = useWords(CASES);
  const [loaded, reload] = useCase(caseId);
  const agencyName = useAgencyName();
  const recipientName = (p: Provision) => (p.recipient.agencyId ? agencyName(p.recipient.agencyId) : anyAgency(p.recipient.agencyKind));

  return (
    <main>
      <Show loaded={loaded}>
        {(view) => (
          <>
            <h1>
              {w.case} <ShortId id={view.caseId} />
            </h1>
            <p>
              {status(view.status)}
              {view.openedAt && ` · ${w.openedOn(formatWhen(view.openedAt))}`}
              {view.ageGroup && ` · ${ageGroup(view.ageGroup)}`}
            </p>
            <div class="actions">
              <button type="button" onClick={reload}>
                {w.reload}
              </button>
              <CaseLinks caseId={caseId} />
            </div>

            <section aria-labelledby="person">
              <h2 id="person">{w.person}</h2>
              <PersonalData data={view.personalData} />
            </section>

            <section aria-labelledby="consents">
              <h2 id="consents">{w.consents}</h2>
              {(view.consents ?? []).length === 0 && <p>{w.noConsent}</p>}
              {(view.consents ?? []).map((consent) => (
                <article class="card" key={consent.consentId} aria-label={w.consentGiven(formatWhen(consent.givenAt))}>
                  <h3>{w.consentGivenBy(formatWhen(consent.givenAt), grantor(consent.grantor))}</h3>
                  <HeadedTable label={w.provisions} columns={Object.values(w.provisionColumns)}>
                    {consent.provisions.map((p) => (
                      <tr key={p.provisionId}>
                        <td>{recipientName(p)}</td>
                        <td>{purposeFor(p)}</td>
                        <td>{p.categories.map(category).join('; ')}</td>
                        <td>
                          {p.status === 'live' ? (
                            <Badge tone="info">{status(p.status)}</Badge>
                          ) : (
                            <Badge tone="muted">{status(p.status)}</Badge>
                          )}
                          {p.validUntil && p.status === 'live' && ` ${w.until(formatWhen(p.validUntil))}`}
                        </td>
                      </tr>
                    ))}
                  </HeadedTable>
                  {consent.provisions.some((p) => p.status === 'live' || p.status === 'not_yet_valid') && (
                    <a class="button" href={`#/cases/${caseId}/consents/${consent.consentId}/withdraw`}>
                      {w.withdrawConsent}
                    </a>
                  )}
                  <ReceiptLink caseId={caseId} consentId={consent.consentId} />
                </article>
              ))}
            </section>

            <Determinations view={view} />

            <section aria-labelledby="referrals">
              <h2 id="referrals">{w.referrals}</h2>
              {view.referrals.length === 0 ? (
                <p>{w.noReferrals}</p>
              ) : (
                <ReferralTable referrals={view.referrals} agencyName={agencyName} caseId={caseId} />
              )}
            </section>

            <CaseWork view={view} onDone={reload} />

            <section aria-labelledby="timeline">
              <h2 id="timeline">{w.timeline}</h2>
              <ol class="timeline">
                {(view.timeline ?? []).map((step, index) => (
                  <li key={index}>
                    <time dateTime={step.at}>{formatWhen(step.at)}</time> {event(step.type)}
                    {step.reason && ` (${reason(step.reason)})`}
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

/** Referrals with who receives them, their status and the date an answer is due by; with `caseId`, a declined one offers a re-referral. */
export function ReferralTable({
  referrals,
  agencyName,
  caseId,
}: {
  referrals: readonly Referral[];
  agencyName: (id: string | undefined) => string;
  caseId?: string;
}) {
  const w = useWords(CASES);
  return (
    <HeadedTable label={w.referrals} columns={Object.values(w.referralColumns)}>
      {referrals.map((r) => (
        <tr key={r.referralId}>
          <td>{agencyName(r.toAgencyId)}</td>
          <td>{referredFor(r)}</td>
          <td>
            <ReferralStatus referral={r} />
            {caseId && r.status === 'declined' && r.serviceType && (
              <>
                {' '}
                <a href={`#/cases/${caseId}/referrals/${r.referralId}/re-refer`}>{w.reRefer}</a>
              </>
            )}
          </td>
          <td>
            <DueBy referral={r} />
          </td>
        </tr>
      ))}
    </HeadedTable>
  );
}

/** Personal data by category, each field labelled; an empty category is said to be empty. */
export function PersonalData({ data }: { data: CaseView['personalData'] }) {
  const w = useWords(CASES);
  const codes = useWords(CODES);
  const entries = Object.entries(data);
  if (entries.length === 0) return <p>{w.noPersonalData}</p>;
  const shown = (name: string, value: unknown) =>
    typeof value === 'string'
      ? fieldValue(name, value)
      : typeof value === 'boolean'
        ? value
          ? codes.yes
          : codes.no
        : typeof value === 'object' && value !== null
          ? Object.values(value).join(', ')
          : String(value);
  return (
    <dl class="personal">
      {entries.map(([code, fields]) => (
        <div key={code}>
          <dt>{category(code)}</dt>
          <dd>
            {Object.entries(fields)
              .map(([name, value]) => detail(field(name), shown(name, value)))
              .join(' · ')}
          </dd>
        </div>
      ))}
    </dl>
  );
}
