import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Category, GiveConsentBody, ServiceType } from '../api/types';
import { type Language, formatDay, useWords } from '../i18n';
import { caseCodes } from '../messages/case-codes';
import { consentWords, noticeLanguages } from '../messages/consent';
import { go } from '../router';
import { Show, useLoad } from '../ui';
import { SubmitStatus, ifMatch, problemAbout, useSubmit } from '../submit';
import { useCase } from './case-page';
import { type ProvisionDraft, ProvisionEditor, draftFor, provisionBody } from './provision-builder';

const CHILD_GROUPS = new Set(['child', 'claims_to_be_child', 'possibly_child']);
/** The API's refusals about a child's consent name the guardian or the assent: shown at those fields. */
const ABOUT_GUARDIAN = /guardian|assent/i;
const NOTICE_VERSION = 'consent-notice-2026-01';

/** What a referral suggestion lacked consent for, handed to the consent form in memory (never in the address or storage). */
interface Prefill {
  agencyId: string;
  serviceType: ServiceType;
  categories: Category[];
}
let pending: (Prefill & { caseId: string }) | undefined;

/** Opens the consent form for `caseId` with a first permission pre-filled. */
export function recordConsentFor(caseId: string, prefill: Prefill): void {
  pending = { caseId, ...prefill };
  go(`/cases/${caseId}/consents/new`);
}

function takePrefill(caseId: string): Prefill | undefined {
  const taken = pending?.caseId === caseId ? pending : undefined;
  pending = undefined;
  return taken && { agencyId: taken.agencyId, serviceType: taken.serviceType, categories: taken.categories };
}

type Agencies = ReadonlyArray<{ id: string; name: string; kind: string }>;

/**
 * Recording a person's consent: the notice read out in the language chosen (English and French are
 * written; any other is read through the interpreter), then what is shared with whom and for what.
 * `prefill` comes from a referral suggestion whose consent was missing.
 */
export function RecordConsent({ caseId }: { caseId: string }) {
  const [loaded, reload] = useCase(caseId);
  const [prefill] = useState(() => takePrefill(caseId));
  const props = { caseId, ...prefill };
  const [agencies] = useLoad(() => api.GET('/directory/agencies'), []);
  const w = useWords(consentWords);
  return (
    <main>
      <h1>{w.title}</h1>
      <Show loaded={loaded}>
        {(view) => (
          <Show loaded={agencies}>
            {(list) => (
              <ConsentForm
                {...props}
                child={CHILD_GROUPS.has(view.ageGroup ?? '')}
                revision={view.revision}
                agencies={list.filter((a) => a.id !== view.owningAgencyId)}
                onReload={reload}
              />
            )}
          </Show>
        )}
      </Show>
    </main>
  );
}

function ConsentForm(props: {
  caseId: string;
  agencyId?: string;
  serviceType?: ServiceType;
  categories?: Category[];
  child: boolean;
  revision: number | undefined;
  agencies: Agencies;
  onReload: () => void;
}) {
  const w = useWords(consentWords);
  const names = useWords(noticeLanguages);
  const [language, setLanguage] = useState<keyof typeof names>('en');
  const [interpreterUsed, setInterpreter] = useState(false);
  const [method, setMethod] = useState<GiveConsentBody['method']>('verbal');
  const [grantor, setGrantor] = useState<GiveConsentBody['grantor']>(props.child ? 'guardian' : 'person');
  const [assent, setAssent] = useState<boolean>();
  const [drafts, setDrafts] = useState<ProvisionDraft[]>([draftFor(props.agencyId, props.serviceType, props.categories)]);
  const submit = useSubmit();
  const written = language === 'en' || language === 'fr';

  const record = async () => {
    const body: GiveConsentBody = {
      grantor,
      method,
      language,
      interpreterUsed,
      noticeVersion: NOTICE_VERSION,
      provisions: drafts.map(provisionBody),
      ...(props.child && assent !== undefined ? { childAssent: assent } : {}),
    };
    const params = { path: { caseId: props.caseId } };
    const given = await submit.send((header) =>
      api.POST('/cases/{caseId}/consents', { params: { ...params, header: { ...header, ...ifMatch(props.revision) } }, body }),
    );
    if (given) go(`/cases/${props.caseId}`);
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void record();
      }}
    >
      {props.child && <p class="notice">{w.caseIsChild}</p>}
      <label for="notice-language">{w.language}</label>
      <select
        id="notice-language"
        value={language}
        onChange={(e) => {
          const next = e.currentTarget.value as keyof typeof names;
          setLanguage(next);
          if (next !== 'en' && next !== 'fr') setInterpreter(true);
        }}
      >
        {Object.entries(names).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
      {!written && <p class="hint">{w.readThrough(names[language])}</p>}
      <label class="choice">
        <input type="checkbox" checked={interpreterUsed} onChange={(e) => setInterpreter(e.currentTarget.checked)} />
        {w.interpreter}
      </label>
      <fieldset>
        <legend>{w.method}</legend>
        {(['verbal', 'written', 'phone'] as const).map((m) => (
          <label class="choice" key={m}>
            <input type="radio" name="method" checked={method === m} onChange={() => setMethod(m)} />
            {w.methods[m]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{w.grantor}</legend>
        {(['person', 'guardian'] as const).map((g) => (
          <label class="choice" key={g}>
            <input type="radio" name="grantor" checked={grantor === g} onChange={() => setGrantor(g)} />
            {w.grantors[g]}
          </label>
        ))}
        {props.child && (
          <fieldset>
            <legend>{w.assent}</legend>
            <label class="choice">
              <input type="radio" name="assent" checked={assent === true} onChange={() => setAssent(true)} />
              {w.assentYes}
            </label>
            <label class="choice">
              <input type="radio" name="assent" checked={assent === false} onChange={() => setAssent(false)} />
              {w.assentNo}
            </label>
            <p class="hint">{w.guardianRequired}</p>
          </fieldset>
        )}
        <SubmitStatus submit={{ problem: problemAbout(submit.problem, ABOUT_GUARDIAN), waiting: undefined }} />
      </fieldset>
      <h2>{w.provisions}</h2>
      {drafts.map((draft, i) => (
        <ProvisionEditor
          key={i}
          n={i + 1}
          draft={draft}
          agencies={props.agencies}
          onChange={(next) => setDrafts(drafts.map((d, j) => (j === i ? next : d)))}
          {...(drafts.length > 1 ? { onRemove: () => setDrafts(drafts.filter((_, j) => j !== i)) } : {})}
        />
      ))}
      <button type="button" class="secondary" onClick={() => setDrafts([...drafts, draftFor()])}>
        {w.addProvision}
      </button>
      <Notice language={written ? language : undefined} drafts={drafts} agencies={props.agencies} child={props.child} />
      <SubmitStatus submit={submit} onReload={props.onReload} shownAtField={ABOUT_GUARDIAN} />
      <div class="actions">
        <button type="submit" disabled={submit.busy}>
          {w.record}
        </button>
        <a class="button secondary" href={`#/cases/${props.caseId}`}>
          {w.cancel}
        </a>
      </div>
    </form>
  );
}

/** The notice, built from the permissions as they stand, in the consent's language (or the screen's, for an interpreter to read). */
function Notice(props: { language: Language | undefined; drafts: readonly ProvisionDraft[]; agencies: Agencies; child: boolean }) {
  const screen = useWords(consentWords);
  const screenCodes = useWords(caseCodes);
  const w = props.language ? consentWords[props.language] : screen;
  const c = props.language ? caseCodes[props.language] : screenCodes;
  const who = (d: ProvisionDraft) =>
    d.mode === 'agency'
      ? (props.agencies.find((a) => a.id === d.agencyId)?.name ?? w.noticeNotChosen)
      : w.noticeAnyKind(c.agencyKind[d.agencyKind]);
  const why = (d: ProvisionDraft) =>
    d.purpose === 'service_provision' && d.serviceTypes.length > 0
      ? d.serviceTypes.map((s) => c.serviceType[s]).join(', ')
      : c.purpose[d.purpose];
  return (
    <section class="notice-text" aria-labelledby="notice" lang={props.language}>
      <h2 id="notice">{screen.notice}</h2>
      <p>{w.noticeIntro}</p>
      <ul>
        {props.drafts.map((d, i) => (
          <li key={i}>
            {w.noticeLine(
              who(d),
              d.categories.map((k) => c.category[k]).join('; ') || w.noticeNotChosen,
              why(d),
              d.validUntil ? w.noticeUntil(formatDay(d.validUntil)) : '',
            )}
          </li>
        ))}
      </ul>
      <p>{w.noticeFree}</p>
      <p>{w.noticeChange}</p>
      <p>{w.noticePolice}</p>
      <p>{props.child ? w.noticeChild : w.noticeQuestion}</p>
    </section>
  );
}
