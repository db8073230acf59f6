import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { type CloseReason, type InterruptReason, type SafetyFlag, codes } from '../api/types';
import { useWords } from '../i18n';
import { caseActionWords } from '../messages/case-actions';
import { caseCodes } from '../messages/case-codes';
import { SubmitStatus, ifMatch, useSubmit } from '../submit';
import type { CaseView } from './case-page';
import { CodeSelect } from './form-parts';

type Submit = ReturnType<typeof useSubmit>;
type Send = (header: { 'Idempotency-Key': string; 'If-Match'?: string }) => ReturnType<Parameters<Submit['send']>[0]>;

/** What a case action needs: the case as shown (its revision guards the write) and what to do once it is written. */
export interface CaseActionProps {
  view: CaseView;
  onDone: () => void;
}

/**
 * One action on the case as a small form: its fields, its button, and its outcome next to it. The
 * write carries the revision shown, so a change made meanwhile is refused (412) with a reload offered.
 */
export function ActionForm(props: {
  id: string;
  /** The form's name for screen readers when the button's label is not enough ("Record" under each step). */
  name?: string;
  label: string;
  danger?: boolean;
  view: CaseView;
  onDone: () => void;
  send: Send;
  children?: ComponentChildren;
}) {
  const submit = useSubmit();
  return (
    <form
      class="action"
      aria-label={props.name ?? props.label}
      onSubmit={(e) => {
        e.preventDefault();
        void submit
          .send((header) => props.send({ ...header, ...ifMatch(props.view.revision) }))
          .then((done) => done !== undefined && props.onDone());
      }}
    >
      {props.children}
      <button type="submit" id={props.id} class={props.danger ? 'danger' : undefined} disabled={submit.busy}>
        {props.label}
      </button>
      <SubmitStatus submit={submit} onReload={props.onDone} />
    </form>
  );
}

/** Pause, resume, close and reopen, each offered only where the case's status allows it. */
export function CaseStatusActions({ view, onDone }: CaseActionProps) {
  const w = useWords(caseActionWords);
  const c = useWords(caseCodes);
  const [pauseWhy, setPauseWhy] = useState<InterruptReason>('lost_contact');
  const [note, setNote] = useState('');
  const [closeWhy, setCloseWhy] = useState<CloseReason>('services_completed');
  const path = { caseId: view.caseId };
  const common = { view, onDone };
  return (
    <section aria-labelledby="case-status">
      <h2 id="case-status">{w.status}</h2>
      {view.status === 'open' && (
        <ActionForm
          {...common}
          id="pause"
          label={w.pause}
          send={(header) =>
            api.POST('/cases/{caseId}/interruption', {
              params: { path, header },
              body: { reason: pauseWhy, ...(note.trim() ? { note: note.trim() } : {}) },
            })
          }
        >
          <p class="hint">{w.pauseHint}</p>
          <CodeSelect
            id="pause-why"
            label={w.pauseWhy}
            value={pauseWhy}
            options={codes(c.interruptReason)}
            words={c.interruptReason}
            onChange={setPauseWhy}
          />
          <label for="pause-note">{w.pauseNote}</label>
          <textarea id="pause-note" maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </ActionForm>
      )}
      {view.status === 'paused' && (
        <ActionForm
          {...common}
          id="resume"
          label={w.resume}
          send={(header) => api.POST('/cases/{caseId}/resumption', { params: { path, header } })}
        />
      )}
      {view.status !== 'closed' && (
        <ActionForm
          {...common}
          id="close"
          danger
          label={w.close}
          send={(header) => api.POST('/cases/{caseId}/closure', { params: { path, header }, body: { reason: closeWhy } })}
        >
          <CodeSelect
            id="close-why"
            label={w.closeWhy}
            value={closeWhy}
            options={codes(c.closeReason)}
            words={c.closeReason}
            onChange={setCloseWhy}
          />
        </ActionForm>
      )}
      {view.status === 'closed' && (
        <ActionForm
          {...common}
          id="reopen"
          label={w.reopen}
          send={(header) => api.POST('/cases/{caseId}/reopening', { params: { path, header } })}
        />
      )}
    </section>
  );
}

/** The case's safety flags: each raised one can be lifted, any other raised. */
export function SafetyFlags({ view, onDone }: CaseActionProps) {
  const w = useWords(caseActionWords);
  const c = useWords(caseCodes);
  const raised = (view.safetyFlags ?? []) as SafetyFlag[];
  const others = codes(c.flag).filter((f) => !raised.includes(f));
  const [toRaise, setToRaise] = useState<SafetyFlag | undefined>(others[0]);
  const chosen = toRaise && others.includes(toRaise) ? toRaise : others[0];
  const path = { caseId: view.caseId };
  return (
    <section aria-labelledby="safety-flags">
      <h2 id="safety-flags">{w.flags}</h2>
      <p class="hint">{w.flagsHint}</p>
      {raised.length === 0 && <p>{w.noFlags}</p>}
      {raised.map((flag) => (
        <ActionForm
          key={flag}
          view={view}
          onDone={onDone}
          id={`lift-${flag}`}
          label={w.lift(c.flag[flag])}
          send={(header) => api.POST('/cases/{caseId}/safety-flags/{flag}/lifting', { params: { path: { ...path, flag }, header } })}
        />
      ))}
      {chosen && (
        <ActionForm
          view={view}
          onDone={onDone}
          id="raise-flag"
          label={w.raise}
          send={(header) => api.POST('/cases/{caseId}/safety-flags', { params: { path, header }, body: { flag: chosen } })}
        >
          <CodeSelect id="flag-to-raise" label={w.flagToRaise} value={chosen} options={others} words={c.flag} onChange={setToRaise} />
        </ActionForm>
      )}
    </section>
  );
}
