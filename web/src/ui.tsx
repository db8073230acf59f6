import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Problem, api, call, explain } from './api/client';
import { LANGUAGES, type Language, chooseLanguage, formatWhen, useLanguage, useWords } from './i18n';
import { COMMON } from './messages/common';
import { PROBLEMS } from './messages/problems';
import { isOverdue, status } from './words';

/** A refused or failed request in plain words, announced to screen readers where it appears. */
export function ProblemMessage({ problem, onReload }: { problem: Problem | undefined; onReload?: () => void }) {
  const w = useWords(COMMON);
  const p = useWords(PROBLEMS);
  if (!problem) return null;
  const { sentence, fromService } = explain(problem);
  return (
    <div class="problem" role="alert">
      <p>{sentence}</p>
      {fromService && (
        <p class="problem-detail">
          {p.fromService} <span lang="en">{fromService}</span>
        </p>
      )}
      {onReload && (problem.status === 409 || problem.status === 412) && (
        <button type="button" onClick={onReload}>
          {w.reload}
        </button>
      )}
    </div>
  );
}

export type Loaded<T> = { state: 'loading' } | { state: 'failed'; problem: Problem } | { state: 'ready'; data: T };

/**
 * Loads what a screen shows when it opens and whenever `deps` (what `load` reads) change; `reload`
 * loads it again while the screen keeps showing what it has, so that the forms on it are not
 * remounted and keep what the user typed (after a 409 or 412, say) until the new data arrives.
 */
export function useLoad<T>(
  load: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  deps: readonly unknown[],
): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const shownFor = useRef(deps);
  useEffect(() => {
    let current = true;
    const sameSubject = deps.length === shownFor.current.length && deps.every((d, i) => Object.is(d, shownFor.current[i]));
    shownFor.current = deps;
    if (!sameSubject) setLoaded({ state: 'loading' });
    void call(load).then((answer) => {
      if (!current) return;
      setLoaded(answer.ok ? { state: 'ready', data: answer.data } : { state: 'failed', problem: answer.problem });
    });
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return [loaded, useCallback(() => setRound((r) => r + 1), [])];
}

/** Shows a load's data, or that it is loading, or why it failed. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const w = useWords(COMMON);
  if (loaded.state === 'loading')
    return (
      <p class="loading" role="status">
        {w.loading}
      </p>
    );
  if (loaded.state === 'failed') return <ProblemMessage problem={loaded.problem} />;
  return <>{children(loaded.data)}</>;
}

export const Badge = ({ tone, children }: { tone: 'warn' | 'info' | 'muted'; children: ComponentChildren }) => (
  <span class={`badge badge-${tone}`}>{children}</span>
);

export const ShortId = ({ id }: { id: string }) => <span title={id}>{id.slice(0, 8)}</span>;

let agencyNames: Promise<Map<string, string>> | undefined;

/**
 * The name of a member agency by id (names are not personal data; loaded once per session): "…"
 * until the names are loaded, "another agency" for one that has left the network.
 */
export function useAgencyName(): (agencyId: string | undefined) => string {
  const w = useWords(COMMON);
  const [names, setNames] = useState<Map<string, string>>();
  useEffect(() => {
    agencyNames ??= call(() => api.GET('/directory/agencies')).then((answer) =>
      answer.ok ? new Map(answer.data.map((a) => [a.id, a.name])) : new Map<string, string>(),
    );
    void agencyNames.then(setNames);
  }, []);
  return (agencyId) => (agencyId === undefined ? '' : names === undefined ? '…' : (names.get(agencyId) ?? w.anotherAgency));
}

/** Forgets the agency names with the session, so another user of the device starts fresh. */
export const forgetAgencyNames = (): void => {
  agencyNames = undefined;
};

/**
 * Keyset paging as the API pages: `cursor` is the page shown; the cursors of the pages before it
 * let "Previous page" go back, as the API pages forwards only.
 */
export function usePages(): {
  cursor: string | undefined;
  restart: () => void;
  Pager: (props: { next: string | undefined }) => JSX.Element;
} {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    restart: () => setCursors([]),
    Pager: ({ next }) => <Pager next={next} cursors={cursors} setCursors={setCursors} />,
  };
}

/** A list read a page at a time, narrowed to one status or not: choosing a status starts it again from its first page. */
export function usePagesByStatus<S extends string, T>(
  load: (narrowing: { status?: S; cursor?: string }) => Promise<{ data?: T; error?: unknown; response: Response }>,
) {
  const [filter, setFilter] = useState<S | ''>('');
  const { cursor, restart, Pager } = usePages();
  const [loaded] = useLoad(() => load({ ...(filter ? { status: filter } : {}), ...(cursor ? { cursor } : {}) }), [filter, cursor]);
  const choose = (value: S | '') => {
    setFilter(value);
    restart();
  };
  return { filter, choose, loaded, Pager };
}

function Pager({ next, cursors, setCursors }: { next: string | undefined; cursors: string[]; setCursors: (c: string[]) => void }) {
  const w = useWords(COMMON);
  return (
    <nav class="pager" aria-label={w.pages}>
      {cursors.length > 0 && (
        <button type="button" onClick={() => setCursors(cursors.slice(0, -1))}>
          {w.previousPage}
        </button>
      )}
      {next && (
        <button type="button" onClick={() => setCursors([...cursors, next])}>
          {w.nextPage}
        </button>
      )}
    </nav>
  );
}

/**
 * A table that scrolls sideways on its own when wider than a phone's screen, so the page does not;
 * focusable so that a keyboard user can scroll it too (with the arrow keys).
 */
export const TableScroll = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <div class="table-scroll" role="group" aria-label={label} tabIndex={0}>
    {children}
  </div>
);

/** A table that scrolls on its own, named (for screen readers) by `label`, a heading per column, the rows given. */
export const HeadedTable = ({ label, columns, children }: { label: string; columns: readonly string[]; children: ComponentChildren }) => (
  <TableScroll label={label}>
    <table>
      <caption class="visually-hidden">{label}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </TableScroll>
);

/** A page of a list as a table: a heading per column, a row per item, a plain sentence when there are none, then the pager. */
export function PagedTable<T>(props: {
  loaded: Loaded<{ items: T[]; nextCursor?: string }>;
  caption: string;
  columns: readonly string[];
  empty: string;
  row: (item: T) => JSX.Element;
  Pager: (props: { next: string | undefined }) => JSX.Element;
}) {
  const { caption, columns, empty, row, Pager } = props;
  return (
    <Show loaded={props.loaded}>
      {(page) => (
        <>
          {page.items.length === 0 ? (
            <p>{empty}</p>
          ) : (
            <HeadedTable label={caption} columns={columns}>
              {page.items.map(row)}
            </HeadedTable>
          )}
          <Pager next={page.nextCursor} />
        </>
      )}
    </Show>
  );
}

/** A list's choice of status: everything first, then each status in words; a choice starts the list again from its first page. */
export function FilterByStatus<T extends string>(props: {
  id: string;
  label: string;
  all: string;
  statuses: readonly T[];
  value: T | '';
  onChoose: (value: T | '') => void;
}) {
  return (
    <div class="toolbar">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChoose(e.currentTarget.value as T | '')}>
        <option value="">{props.all}</option>
        {props.statuses.map((code) => (
          <option key={code} value={code}>
            {status(code)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A referral's status in words, marked when the case is paused and the referral waits. */
export function ReferralStatus({ referral }: { referral: { status: string; onHold?: boolean } }) {
  const w = useWords(COMMON);
  return (
    <>
      {status(referral.status)}
      {referral.onHold && (
        <>
          {' '}
          <Badge tone="muted">{w.onHold}</Badge>
        </>
      )}
    </>
  );
}

/** When an answer is due, marked when it is late. */
export function DueBy({ referral }: { referral: { status: string; respondBy: string; onHold?: boolean } }) {
  const w = useWords(COMMON);
  return (
    <>
      {formatWhen(referral.respondBy)}
      {isOverdue(referral.respondBy, referral.status, referral.onHold) && (
        <>
          {' '}
          <Badge tone="warn">{w.overdue}</Badge>
        </>
      )}
    </>
  );
}

/**
 * The languages, each named in itself (a French reader finds "Français" on an English screen);
 * the choice is remembered and sets the page's language for screen readers.
 */
export function LanguageSwitcher({ label }: { label: string }) {
  const active = useLanguage();
  return (
    <div class="languages" role="group" aria-label={label}>
      {(Object.entries(LANGUAGES) as Array<[Language, string]>).map(([code, name]) => (
        <button type="button" class="link" key={code} lang={code} aria-pressed={code === active} onClick={() => chooseLanguage(code)}>
          {name}
        </button>
      ))}
    </div>
  );
}
