import { useEffect, useState } from 'preact/hooks';
import { type Problem, call, explain, idempotencyKey } from './api/client';
import { useWords } from './i18n';
import { OVERSIGHT } from './messages/oversight';

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

/** The refusal beside the action: the API's own detail where it gives one; a reload offered after someone else's change; the wait after a 429. */
export function ActionProblem({ action, onReload }: { action: ReturnType<typeof useAction>; onReload?: () => void }) {
  const words = useWords(OVERSIGHT);
  const { problem, waiting } = action;
  if (!problem) return null;
  const text =
    problem.status === 429 && waiting > 0
      ? words.waitSeconds(waiting)
      : problem.detail && [400, 403, 404, 422].includes(problem.status)
        ? problem.detail
        : explain(problem);
  return (
    <div class="problem" role="alert">
      <p>{text}</p>
      {onReload && (problem.status === 409 || problem.status === 412) && (
        <button type="button" onClick={onReload}>
          {words.reload}
        </button>
      )}
    </div>
  );
}
