import type { ComponentChildren } from 'preact';
import type { Problem } from '../api/client';
import { ProblemMessage } from '../ui';

/** A labelled field of a sign-in form, named as its id and autocompleted so that the browser's password manager knows it. */
export function CredentialField(props: {
  id: string;
  label: string;
  autocomplete: 'username' | 'current-password' | 'new-password';
  value: string;
  onInput: (value: string) => void;
}) {
  const { id, label, autocomplete, value, onInput } = props;
  const field = {
    id,
    name: id,
    autocomplete,
    required: true,
    value,
    onInput: (e: { currentTarget: HTMLInputElement }) => onInput(e.currentTarget.value),
  };
  return (
    <>
      <label for={id}>{label}</label>
      {autocomplete === 'username' ? <input {...field} /> : <input {...field} type="password" />}
    </>
  );
}

/** The sign-in and choose-password forms' shape: what they hold, then what went wrong, then the button (off while sending). */
export function CredentialForm(props: {
  onSubmit: () => Promise<void>;
  problem: Problem | undefined;
  busy: boolean;
  submit: string;
  children: ComponentChildren;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit();
      }}
    >
      {props.children}
      <ProblemMessage problem={props.problem} />
      <button type="submit" disabled={props.busy}>
        {props.submit}
      </button>
    </form>
  );
}
