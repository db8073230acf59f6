import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { type IdentificationOutcome, type RiskLevel, type SafetyFlag, type ScreeningOutcome, type ServiceType, codes } from '../api/types';
import { formatWhen, useWords } from '../i18n';
import { caseActionWords } from '../messages/case-actions';
import { caseCodes } from '../messages/case-codes';
import { session } from '../session';
import { useLoad } from '../ui';
import { ActionForm, type CaseActionProps } from './case-actions';
import { CheckList, CodeSelect } from './form-parts';

type Step = keyof NonNullable<CaseActionProps['view']['path']>;

/** The case path of seed 002 (screening, identification, intake, case plan, safety assessment): each step as done, and a form to record it. */
export function CasePath({ view, onDone }: CaseActionProps) {
  const w = useWords(caseActionWords);
  const c = useWords(caseCodes);
  const [screening, setScreening] = useState<ScreeningOutcome>('indicators_confirmed');
  const [identification, setIdentification] = useState<IdentificationOutcome>('trafficked_person');
  const [services, setServices] = useState<ServiceType[]>([]);
  const [plan, setPlan] = useState('');
  const [risk, setRisk] = useState<RiskLevel>('medium');
  const [safetyPlan, setSafetyPlan] = useState('');
  const [flags, setFlags] = useState<SafetyFlag[]>([]);
  const me = session()?.userId ?? '';
  const [caseworker, setCaseworker] = useState(me);
  // Whom the case can be given to: the agency's active case staff (the signed-in user until they load).
  const [staffLoaded] = useLoad(() => api.GET('/agency/case-staff'), []);
  const staff = staffLoaded.state === 'ready' ? staffLoaded.data : [];
  const staffNames = Object.fromEntries(staff.map((s) => [s.id, s.id === me ? w.you(s.displayName) : s.displayName]));
  const path = { caseId: view.caseId };
  const common = { view, onDone };
  /** A step's state, in its heading, so it reads without opening the step's form. */
  const done = (step: Step) => {
    const recorded = view.path?.[step];
    return recorded ? w.done(formatWhen(recorded.at), (recorded.outcome ?? '').replace(/_/g, ' ')) : w.notDone;
  };
  return (
    <section aria-labelledby="case-path">
      <h2 id="case-path">{w.path}</h2>
      <details>
        <summary>
          {w.screening} · {done('screening')}
        </summary>
        <ActionForm
          {...common}
          id="record-screening"
          name={w.screening}
          label={w.save}
          send={(header) => api.POST('/cases/{caseId}/screening', { params: { path, header }, body: { outcome: screening } })}
        >
          <CodeSelect
            id="screening-outcome"
            label={w.screeningOutcome}
            value={screening}
            options={codes(c.screening)}
            words={c.screening}
            onChange={setScreening}
          />
        </ActionForm>
      </details>
      <details>
        <summary>
          {w.identification} · {done('identification')}
        </summary>
        <ActionForm
          {...common}
          id="record-identification"
          name={w.identification}
          label={w.save}
          send={(header) => api.POST('/cases/{caseId}/identification', { params: { path, header }, body: { outcome: identification } })}
        >
          <CodeSelect
            id="identification-outcome"
            label={w.identificationOutcome}
            value={identification}
            options={codes(c.identification)}
            words={c.identification}
            onChange={setIdentification}
          />
        </ActionForm>
      </details>
      <details>
        <summary>
          {w.intake} · {done('intake')}
        </summary>
        <ActionForm
          {...common}
          id="record-intake"
          name={w.intake}
          label={w.intakeRecord}
          send={(header) => api.POST('/cases/{caseId}/intake', { params: { path, header }, body: { caseworkerId: caseworker } })}
        >
          <CodeSelect
            id="intake-caseworker"
            label={w.intakeCaseworker}
            value={caseworker}
            options={staff.length > 0 ? staff.map((s) => s.id) : [me]}
            words={{ [me]: w.you(''), ...staffNames }}
            onChange={setCaseworker}
          />
        </ActionForm>
      </details>
      <details>
        <summary>
          {w.casePlan} · {done('casePlan')}
        </summary>
        <ActionForm
          {...common}
          id="record-case-plan"
          name={w.casePlan}
          label={w.save}
          send={(header) => api.POST('/cases/{caseId}/case-plan', { params: { path, header }, body: { servicesNeeded: services, plan } })}
        >
          <CheckList
            legend={w.servicesNeeded}
            options={codes(c.serviceType)}
            words={c.serviceType}
            chosen={services}
            onChange={setServices}
          />
          <label for="case-plan">{w.plan}</label>
          <textarea id="case-plan" required maxLength={2000} value={plan} onInput={(e) => setPlan(e.currentTarget.value)} />
        </ActionForm>
      </details>
      <details>
        <summary>
          {w.safety} · {done('safetyAssessment')}
        </summary>
        <ActionForm
          {...common}
          id="record-safety"
          name={w.safety}
          label={w.save}
          send={(header) =>
            api.POST('/cases/{caseId}/safety-assessments', { params: { path, header }, body: { riskLevel: risk, plan: safetyPlan, flags } })
          }
        >
          <CodeSelect id="risk-level" label={w.risk} value={risk} options={codes(c.risk)} words={c.risk} onChange={setRisk} />
          <label for="safety-plan">{w.safetyPlan}</label>
          <textarea id="safety-plan" required maxLength={2000} value={safetyPlan} onInput={(e) => setSafetyPlan(e.currentTarget.value)} />
          <CheckList legend={w.flagsRaised} options={codes(c.flag)} words={c.flag} chosen={flags} onChange={setFlags} />
        </ActionForm>
      </details>
    </section>
  );
}
