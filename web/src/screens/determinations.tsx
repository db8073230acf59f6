import { formatWhen, useWords } from '../i18n';
import { DETERMINATIONS } from '../messages/determinations';
import { Badge, HeadedTable, useAgencyName } from '../ui';
import { anyAgency, category, purposeFor, reason } from '../words';
import type { CaseView } from './case-page';

type Determination = NonNullable<CaseView['determinations']>[number];

/** A determination's scope (who, for what, which categories, until when) and its reasons: what a second person approves. */
export function DeterminationFacts({ determination }: { determination: Determination }) {
  const w = useWords(DETERMINATIONS);
  const agencyName = useAgencyName();
  return (
    <>
      <HeadedTable label={w.scope} columns={Object.values(w.columns)}>
        {determination.scope.map((g, index) => (
          <tr key={index}>
            <td>{g.recipient.agencyId ? agencyName(g.recipient.agencyId) : anyAgency(g.recipient.agencyKind)}</td>
            <td>{purposeFor(g)}</td>
            <td>{g.categories.map(category).join('; ')}</td>
            <td>{g.validUntil ? formatWhen(g.validUntil) : w.always}</td>
          </tr>
        ))}
      </HeadedTable>
      <dl class="facts">
        <dt>{w.reasons}</dt>
        <dd data-reasons>{determination.reasons}</dd>
      </dl>
    </>
  );
}

/** Why an erasure was asked for: the reason of the case's last erasure request, from its timeline. */
export function ErasureReason({ view }: { view: CaseView }) {
  const w = useWords(DETERMINATIONS);
  const asked = (view.timeline ?? []).filter((step) => step.type === 'ErasureRequested').at(-1);
  return (
    <dl class="facts">
      <dt>{w.erasureReason}</dt>
      <dd>{asked?.reason ? reason(asked.reason) : ''}</dd>
    </dl>
  );
}

/** The owner's case page: each determination with its status, and an erasure waiting for approval. */
export function Determinations({ view }: { view: CaseView }) {
  const w = useWords(DETERMINATIONS);
  const determinations = view.determinations ?? [];
  const erasureWaiting = view.erasureRequest && !view.erased ? view.erasureRequest : undefined;
  return (
    <section aria-labelledby="determinations">
      <h2 id="determinations">{w.title}</h2>
      {determinations.length === 0 && !erasureWaiting && <p>{w.none}</p>}
      {determinations.map((d) => (
        <article class="card" key={d.determinationId} aria-label={w.determination(formatWhen(d.proposedAt))}>
          <h3>
            {w.determination(formatWhen(d.proposedAt))}{' '}
            <Badge tone={d.status === 'proposed' ? 'warn' : d.status === 'approved' ? 'info' : 'muted'}>{w.state[d.status]}</Badge>
          </h3>
          <DeterminationFacts determination={d} />
        </article>
      ))}
      {erasureWaiting && (
        <article class="card" aria-label={w.erasure(formatWhen(erasureWaiting.requestedAt))}>
          <h3>{w.erasure(formatWhen(erasureWaiting.requestedAt))}</h3>
          <ErasureReason view={view} />
        </article>
      )}
    </section>
  );
}
