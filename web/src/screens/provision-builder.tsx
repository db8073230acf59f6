import type { AgencyKind, Category, ProvisionBody, Purpose, ServiceType } from '../api/types';
import { codes } from '../api/types';
import { useWords } from '../i18n';
import { caseCodes } from '../messages/case-codes';
import { consentWords } from '../messages/consent';
import { CheckList, CodeSelect } from './form-parts';

/** One permission as the caseworker builds it: to a named agency or any agency of a kind, for one purpose. */
export interface ProvisionDraft {
  mode: 'agency' | 'kind';
  agencyId: string;
  agencyKind: AgencyKind;
  purpose: Purpose;
  serviceTypes: ServiceType[];
  categories: Category[];
  /** A day (yyyy-mm-dd), or empty for "until withdrawn". */
  validUntil: string;
}

export const draftFor = (agencyId = '', serviceType?: ServiceType, categories: Category[] = []): ProvisionDraft => ({
  mode: 'agency',
  agencyId,
  agencyKind: 'shelter',
  purpose: 'service_provision',
  serviceTypes: serviceType ? [serviceType] : [],
  categories,
  validUntil: '',
});

/** The provision as the API takes it; a validity day ends at the end of that day where the consent is recorded. */
export const provisionBody = (d: ProvisionDraft): ProvisionBody => ({
  recipient: d.mode === 'agency' ? { agencyId: d.agencyId } : { agencyKind: d.agencyKind },
  purpose: d.purpose,
  ...(d.purpose === 'service_provision' ? { serviceTypes: d.serviceTypes } : {}),
  categories: d.categories,
  ...(d.validUntil ? { validUntil: new Date(`${d.validUntil}T23:59:59`).toISOString() } : {}),
});

/** The editor of one permission. */
export function ProvisionEditor(props: {
  n: number;
  draft: ProvisionDraft;
  agencies: ReadonlyArray<{ id: string; name: string }>;
  onChange: (draft: ProvisionDraft) => void;
  onRemove?: () => void;
}) {
  const w = useWords(consentWords);
  const c = useWords(caseCodes);
  const { n, draft, agencies, onChange } = props;
  const set = <K extends keyof ProvisionDraft>(k: K, v: ProvisionDraft[K]) => onChange({ ...draft, [k]: v });
  const id = (field: string) => `provision-${n}-${field}`;
  return (
    <fieldset class="card">
      <legend>{w.provision(n)}</legend>
      <fieldset>
        <legend>{w.recipient}</legend>
        <label class="choice">
          <input type="radio" name={id('mode')} checked={draft.mode === 'agency'} onChange={() => set('mode', 'agency')} />
          {w.anAgency}
        </label>
        <label class="choice">
          <input type="radio" name={id('mode')} checked={draft.mode === 'kind'} onChange={() => set('mode', 'kind')} />
          {w.aKind}
        </label>
      </fieldset>
      {draft.mode === 'agency' ? (
        <>
          <label for={id('agency')}>{w.agency}</label>
          <select id={id('agency')} required value={draft.agencyId} onChange={(e) => set('agencyId', e.currentTarget.value)}>
            <option value="">{w.choose}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <CodeSelect
          id={id('kind')}
          label={w.kind}
          value={draft.agencyKind}
          options={codes(c.agencyKind)}
          words={c.agencyKind}
          onChange={(v) => set('agencyKind', v)}
        />
      )}
      <CodeSelect
        id={id('purpose')}
        label={w.purpose}
        value={draft.purpose}
        options={codes(c.purpose)}
        words={c.purpose}
        onChange={(v) => set('purpose', v)}
      />
      {draft.purpose === 'law_enforcement_report' && <p class="notice">{w.lawEnforcement}</p>}
      {draft.purpose === 'service_provision' && (
        <CheckList
          legend={w.services}
          options={codes(c.serviceType)}
          words={c.serviceType}
          chosen={draft.serviceTypes}
          onChange={(v) => set('serviceTypes', v)}
        />
      )}
      <CheckList
        legend={w.categories}
        options={codes(c.category)}
        words={c.category}
        chosen={draft.categories}
        onChange={(v) => set('categories', v)}
      />
      <label for={id('until')}>{w.validUntil}</label>
      <input id={id('until')} type="date" value={draft.validUntil} onInput={(e) => set('validUntil', e.currentTarget.value)} />
      {props.onRemove && (
        <button type="button" class="secondary" onClick={props.onRemove}>
          {w.removeProvision}
        </button>
      )}
    </fieldset>
  );
}
