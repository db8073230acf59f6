import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { formatNumber, useWords } from '../i18n';
import { DIRECTORY } from '../messages/directory';
import { SERVICE_TYPES, inWords } from '../messages/vocabulary';
import { session } from '../session';
import { Show, HeadedTable, useLoad } from '../ui';

/** A service as GET /directory/services lists it: a member agency's, or a listed organization's outside the network. */
interface Service {
  serviceId?: string;
  id?: string;
  serviceName: string;
  serviceType?: string;
  agencyName?: string;
  organizationName?: string;
  outsideNetwork?: boolean;
  status: string;
  areas?: string[];
  capacity?: { total: number; available: number };
}

/**
 * Services and their capacity. `mine`: the caller's agency's services, each with a form to say how
 * many places are free (service.capacity); else the whole directory, read only (the coordinator's).
 */
export function Services({ mine }: { mine: boolean }) {
  const words = useWords(DIRECTORY);
  const types = useWords(SERVICE_TYPES);
  const agencyId = session()?.agencyId;
  const [loaded] = useLoad<Service[]>(
    () => api.GET('/directory/services', { params: { query: mine && agencyId ? { agencyId } : {} } }),
    [mine],
  );
  const places = (s: Service) =>
    s.capacity ? words.capacity(formatNumber(s.capacity.available), formatNumber(s.capacity.total)) : words.capacityUnknown;
  return (
    <main>
      <h1>{mine ? words.myServicesTitle : words.directoryTitle}</h1>
      {mine && <p>{words.myServicesIntro}</p>}
      <Show loaded={loaded}>
        {(services) =>
          services.length === 0 ? (
            <p>{words.noServices}</p>
          ) : (
            <HeadedTable label={words.servicesCaption} columns={words.serviceColumns}>
              {services.map((s) => (
                <tr key={s.serviceId ?? s.id} data-service={s.serviceId}>
                  <td>{s.serviceName}</td>
                  <td>{s.outsideNetwork ? `${s.organizationName ?? ''} – ${words.outsideNetwork}` : s.agencyName}</td>
                  <td>{inWords(types, s.serviceType)}</td>
                  <td>{inWords(words.status, s.status)}</td>
                  <td>{(s.areas ?? []).join(', ')}</td>
                  <td>{mine && s.serviceId ? <Capacity service={s} serviceId={s.serviceId} /> : places(s)}</td>
                </tr>
              ))}
            </HeadedTable>
          )
        }
      </Show>
    </main>
  );
}

/** The places of one service: saved in place (reloading the list would take the form, and its "Saved", away). */
function Capacity({ service, serviceId }: { service: Service; serviceId: string }) {
  const words = useWords(DIRECTORY);
  const action = useAction();
  const [available, setAvailable] = useState(String(service.capacity?.available ?? ''));
  const [total, setTotal] = useState(String(service.capacity?.total ?? ''));
  const [saved, setSaved] = useState(false);
  const id = `capacity-${serviceId}`;
  return (
    <form
      aria-label={words.capacityOf(service.serviceName)}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void action
          .run((key) =>
            call(() =>
              api.POST('/directory/services/{serviceId}/capacity', {
                params: { path: { serviceId } },
                body: { available: Number(available), ...(total !== '' ? { total: Number(total) } : {}) },
                headers: { 'Idempotency-Key': key },
              }),
            ),
          )
          .then((done) => setSaved(done !== undefined));
      }}
    >
      <label for={`${id}-available`}>{words.available}</label>
      <input id={`${id}-available`} type="number" min={0} required value={available} onInput={(e) => setAvailable(e.currentTarget.value)} />
      <label for={`${id}-total`}>{words.total}</label>
      <input id={`${id}-total`} type="number" min={0} value={total} onInput={(e) => setTotal(e.currentTarget.value)} />
      <button type="submit" disabled={action.busy}>
        {words.save}
      </button>
      {saved && <p role="status">{words.saved}</p>}
      <ActionProblem action={action} />
    </form>
  );
}
