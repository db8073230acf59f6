import { useRef, useState } from 'preact/hooks';
import { type Problem, call, idempotencyKey } from './api/client';
import { catalogue, useWords } from './i18n';
import { ProblemMessage } from './ui';

const words = catalogue(
  {
    waiting: (seconds: number) => `The service is busy: waiting ${seconds} seconds, then sending again. Nothing is lost.`,
  },
  {
    waiting: (seconds: number) => `Le service est occupé : nouvel envoi dans ${seconds} secondes. Rien n’est perdu.`,
  },
);

type Answer<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/** A 429 is waited out this many times before the user is told to try later. */
const BUSY_RETRIES = 3;

/**
 * One write a user means to make. Its Idempotency-Key is kept until the service accepts it, so a
 * double click, a retry after a lost connection, or a resend after a 429 all write once; a new key
 * is made only after a success. A 429 is waited out as the service asks (Retry-After), saying so.
 * On any other failure what the user typed stays in the form: nothing here clears it.
 */
export function useSubmit() {
  const [key, setKey] = useState(idempotencyKey);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState<number>();
  // A second click before the first answer arrives must not send again (the key would dedupe it, but no need to ask).
  const inFlight = useRef(false);

  async function send<T>(run: (headers: { 'Idempotency-Key': string }) => Answer<T>): Promise<T | undefined> {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(true);
    setProblem(undefined);
    try {
      for (let attempt = 0; ; attempt++) {
        const answer = await call(() => run({ 'Idempotency-Key': key }));
        if (answer.ok) {
          setKey(idempotencyKey());
          return answer.data;
        }
        if (answer.problem.status !== 429 || attempt >= BUSY_RETRIES) {
          setProblem(answer.problem);
          return undefined;
        }
        const seconds = answer.problem.retryAfter ?? 5;
        setWaiting(seconds);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        setWaiting(undefined);
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }
  return { send, busy, problem, waiting };
}

/** The If-Match of a case write: the revision the user's screen shows, so a change made meanwhile answers 412. */
export const ifMatch = (revision: number | undefined): { 'If-Match'?: string } =>
  revision === undefined ? {} : { 'If-Match': `"${revision}"` };

/** The problem when its detail concerns the field `about` names (so it shows next to that field), else nothing. */
export const problemAbout = (problem: Problem | undefined, about: RegExp): Problem | undefined =>
  problem?.detail !== undefined && about.test(problem.detail) ? problem : undefined;

/**
 * Where a submit's outcome shows, next to its button: that it waits out a 429, or why it failed
 * (with a reload offered on 409/412), unless the failure concerns a field (`shownAtField`) and is shown there.
 */
export function SubmitStatus(props: {
  submit: { problem: Problem | undefined; waiting: number | undefined };
  onReload?: () => void;
  shownAtField?: RegExp;
}) {
  const w = useWords(words);
  const { problem, waiting } = props.submit;
  if (waiting !== undefined)
    return (
      <p class="notice" role="status">
        {w.waiting(waiting)}
      </p>
    );
  if (props.shownAtField && problemAbout(problem, props.shownAtField)) return null;
  return <ProblemMessage problem={problem} {...(props.onReload ? { onReload: props.onReload } : {})} />;
}
