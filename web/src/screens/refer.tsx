import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { type Category, type EligibilityGap, type ReferralSuggestions, type ServiceType, type Urgency, codes } from '../api/types';
import { useWords } from '../i18n';
import { noticeLanguages } from '../messages/consent';
import { caseCodes } from '../messages/case-codes';
import { referWords } from '../messages/refer';
import { go } from '../router';
import { Badge, Show, useLoad } from '../ui';
import { purposeFor, serviceType as serviceWords } from '../words';
import { SubmitStatus, ifMatch, useSubmit } from '../submit';
import { type CaseView, useCase } from './case-page';
import { recordConsentFor } from './record-consent';
import { CheckList, CodeSelect } from './form-parts';

type Referral = CaseView['referrals'][number];

/**
 * After a decline, the same need to another agency: the refer screen, for the declined referral's
 * service, what it shared and its urgency, and only when that referral was declined.
 */
export function ReRefer({ caseId, referralId }: { caseId: string; referralId: string }) {
  const w = useWords(referWords);
  const [loaded] = useCase(caseId);
  const declined = loaded.state === 'ready' ? loaded.data.referrals.find((r) => r.referralId === referralId) : undefined;
  if (declined?.status === 'declined' && declined.serviceType) return <Refer caseId={caseId} declined={declined} />;
  return (
    <main>
      <h1>{w.reReferTitle}</h1>
      <Show loaded={loaded}>{() => <p>{w.notDeclined}</p>}</Show>
    </main>
  );
}

/**
 * Where the person could be referred for a service: who can take it now, who the person is eligible
 * with, and what consent is missing. With `declined`, a re-referral: its service is fixed and the
 * agency that declined is not suggested again.
 */
export function Refer({ caseId, declined }: { caseId: string; declined?: Referral }) {
  const w = useWords(referWords);
  const c = useWords(caseCodes);
  const [loadedCase, reloadCase] = useCase(caseId);
  const [serviceType, setServiceType] = useState<ServiceType>(declined?.serviceType ?? 'shelter');
  const [categories, setCategories] = useState<Category[]>(declined ? [...declined.sharedCategories] : ['identity']);
  const [area, setArea] = useState('');
  const [urgency, setUrgency] = useState<Urgency>(declined?.urgency ?? 'normal');
  const [note, setNote] = useState('');
  const [query, setQuery] = useState({ serviceType, categories, area });
  const languageNames: Record<string, string | undefined> = useWords(noticeLanguages);
  const [loaded] = useLoad(
    () =>
      api.GET('/cases/{caseId}/referral-suggestions', {
        params: {
          path: { caseId },
          query: { serviceType: query.serviceType, categories: query.categories, ...(query.area ? { area: query.area } : {}) },
        },
      }),
    [caseId, query],
  );
  const submit = useSubmit();
  const suggested = (found: ReferralSuggestions) => found.suggestions.filter((s) => s.agencyId !== declined?.toAgencyId);

  const categoryWords = (list: readonly Category[]) => list.map((k) => c.category[k]).join('; ');
  // The codes a gap names (sexes, ISO 639 languages) in words; a code the catalogue lacks as sent.
  const gapInWords = (gap: EligibilityGap) => {
    const names: Record<string, string | undefined> = gap.rule === 'sex' ? w.sex : languageNames;
    return w.gap(gap, 'accepted' in gap ? gap.accepted.map((code) => names[code] ?? code).join(w.and) : '');
  };

  const refer = async (s: ReferralSuggestions['suggestions'][number], revision: number | undefined) => {
    const body = {
      toAgencyId: s.agencyId,
      serviceId: s.serviceId,
      purpose: 'service_provision' as const,
      serviceType: query.serviceType,
      sharedCategories: query.categories,
      urgency,
      ...(query.area ? { area: query.area } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const referred = await submit.send((header) => {
      const headers = { ...header, ...ifMatch(revision) };
      if (!declined) return api.POST('/cases/{caseId}/referrals', { params: { path: { caseId }, header: headers }, body });
      const { purpose: _same, serviceType: _asDeclined, ...again } = body;
      return api.POST('/cases/{caseId}/referrals/{referralId}/re-referral', {
        params: { path: { caseId, referralId: declined.referralId }, header: headers },
        body: again,
      });
    });
    if (referred) go(`/cases/${caseId}`);
  };

  return (
    <main>
      <h1>{declined ? w.reReferTitle : w.title}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ serviceType, categories, area });
        }}
      >
        {declined ? (
          <p>{w.sameNeed(c.serviceType[serviceType])}</p>
        ) : (
          <CodeSelect
            id="service-type"
            label={w.service}
            value={serviceType}
            options={codes(c.serviceType)}
            words={c.serviceType}
            onChange={setServiceType}
          />
        )}
        <CheckList legend={w.share} options={codes(c.category)} words={c.category} chosen={categories} onChange={setCategories} />
        <label for="area">{w.area}</label>
        <input id="area" value={area} onInput={(e) => setArea(e.currentTarget.value)} />
        <button type="submit" disabled={categories.length === 0}>
          {w.find}
        </button>
      </form>
      <CodeSelect id="urgency" label={w.urgency} value={urgency} options={codes(c.urgency)} words={c.urgency} onChange={setUrgency} />
      <label for="note">{w.note}</label>
      <textarea id="note" maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <SubmitStatus submit={submit} onReload={reloadCase} />
      <Show loaded={loadedCase}>
        {(view) => (
          <Show loaded={loaded}>
            {(found) => (
              <>
                {suggested(found).length === 0 && <p>{w.none}</p>}
                {suggested(found).map((s) => (
                  <article class="card" key={s.serviceId} aria-label={s.agencyName}>
                    <h2>{s.agencyName}</h2>
                    <p>{s.serviceName}</p>
                    <ul>
                      <li>{s.capacity ? w.capacity(s.capacity.available, s.capacity.total) : w.noCapacityKnown}</li>
                      <li>
                        {s.available ? (
                          w.available
                        ) : (
                          <Badge tone="warn">
                            {w.unavailable(s.unavailable ? w.whyUnavailable(s.unavailable, serviceWords(query.serviceType)) : '')}
                          </Badge>
                        )}
                      </li>
                      <li>
                        {s.consent.missing.length === 0 ? (
                          w.consentCovers
                        ) : (
                          <Badge tone="warn">{w.consentMissing(categoryWords(s.consent.missing))}</Badge>
                        )}
                      </li>
                      {s.consent.neededBasis && s.consent.neededBasis.categories.length > 0 && (
                        <li>
                          {w.toObtain(
                            s.consent.neededBasis,
                            categoryWords(s.consent.neededBasis.categories),
                            s.agencyName,
                            purposeFor({
                              purpose: s.consent.neededBasis.purpose,
                              serviceTypes: s.consent.neededBasis.serviceType ? [s.consent.neededBasis.serviceType] : [],
                            }),
                          )}
                        </li>
                      )}
                      {s.consent.neededBasis && s.consent.neededBasis.withheldBySafetyFlag.length > 0 && (
                        <li>{w.withheld(categoryWords(s.consent.neededBasis.withheldBySafetyFlag))}</li>
                      )}
                    </ul>
                    {s.consent.missing.length > 0 ? (
                      <button
                        type="button"
                        onClick={() =>
                          recordConsentFor(caseId, { agencyId: s.agencyId, serviceType: query.serviceType, categories: s.consent.missing })
                        }
                      >
                        {w.recordConsent}
                      </button>
                    ) : (
                      s.available && (
                        <button type="button" disabled={submit.busy} onClick={() => void refer(s, view.revision)}>
                          {w.refer(s.agencyName)}
                        </button>
                      )
                    )}
                  </article>
                ))}
                {found.notEligible.length > 0 && (
                  <ul aria-label={w.notEligibleWith}>
                    {found.notEligible.map((n) => (
                      <li key={n.serviceId}>{w.named(n.agencyName, w.notEligible(n.eligibilityGapCodes.map(gapInWords).join('; ')))}</li>
                    ))}
                  </ul>
                )}
                {found.outsideNetwork.length > 0 && (
                  <section aria-labelledby="outside">
                    <h2 id="outside">{w.outside}</h2>
                    <ul>
                      {found.outsideNetwork.map((o) => (
                        <li key={o.organizationId}>
                          {w.named(o.organizationName, o.serviceName)}
                          {o.howToRefer && ` (${w.named(w.howToRefer, o.howToRefer)})`}
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
              </>
            )}
          </Show>
        )}
      </Show>
      <a class="button secondary" href={`#/cases/${caseId}`}>
        {w.cancel}
      </a>
    </main>
  );
}
