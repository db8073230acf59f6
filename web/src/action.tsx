import { useEffect, useState } from 'preact/hooks';
import { type Problem, call, idempotencyKey } from './api/client';
import { useWords } from './i18n';
import { OVERSIGHT } from './messages/oversight';
import { ProblemMessage } from './ui';

type Answer<T> = Awaited<ReturnType<typeof call<T>>>;

/**
 * One action a user means to take (approve, add a user, revoke a key): busy while it runs, the
 * API's refusal kept to show beside it, one Idempotency-Key until it succeeds (a double click or a
 * retry writes once), and after a 429 the action waits as long as the service asked.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [key, setKey] = useState(idempotencyKey);
  const [waitUntil, setWaitUntil] = useState(0);
  const [, tick] = useState(0);
  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const timer = setInterval(() => (Date.now() >= waitUntil ? setWaitUntil(0) : tick((n) => n + 1)), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const run = async <T,>(send: (key: string) => Promise<Answer<T>>): Promise<{ data: T } | undefined> => {
    setBusy(true);
    setProblem(undefined);
    const answer = await send(key);
    setBusy(false);
    if (answer.ok) {
      setKey(idempotencyKey());
      return { data: answer.data };
    }
    setProblem(answer.problem);
    if (answer.problem.retryAfter) setWaitUntil(Date.now() + answer.problem.retryAfter * 1000);
    return undefined;
  };
  const waiting = Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
  return { busy: busy || waiting > 0, problem, waiting, run, clear: () => setProblem(undefined) };
}

/** The refusal beside the action (see ProblemMessage), or while a 429 is waited out, how long is left. */
export function ActionProblem({ action, onReload }: { action: ReturnType<typeof useAction>; onReload?: () => void }) {
  const words = useWords(OVERSIGHT);
  const { problem, waiting } = action;
  if (problem?.status === 429 && waiting > 0)
    return (
      <div class="problem" role="alert">
        <p>{words.waitSeconds(waiting)}</p>
      </div>
    );
  return <ProblemMessage problem={problem} {...(onReload ? { onReload } : {})} />;
}
