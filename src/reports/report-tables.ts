import { SERVICE_TYPES, type ServiceType } from '../../libs/consent-policy/index.js';
import { DECLINE_REASONS } from '../../libs/domain/index.js';
import { complementaryHidden, isSmall, type Sum, tableSums } from './suppression.js';

const REFERRAL_COUNTS = ['requested', 'accepted', 'declined', 'completed', 'withdrawn', 'open', 'overdue'] as const;
type ReferralCount = (typeof REFERRAL_COUNTS)[number];

/** The referrals of one service type in one area requested in a period: counts, and declines by reason in DECLINE_REASONS order. */
export interface PeriodCell extends Readonly<Record<ReferralCount, number>> {
  readonly serviceType: string | null;
  readonly area: string | null;
  readonly declinedByReason: readonly number[];
}

/** Service types in vocabulary order, none (not a service referral) last. */
export const serviceTypeOrder = (type: string | null) =>
  type === null ? SERVICE_TYPES.length : SERVICE_TYPES.indexOf(type as ServiceType);

/**
 * Both statistical reports of one period, suppressed together because they share numbers: the
 * declines of a service type (a row total of the declines table) are also the sum of that type's
 * `declined` over the areas of the referral report, so hiding one and showing the other would undo
 * it. The sums a reader can check:
 * - per area and service type, open + declined + completed + withdrawn = requested;
 * - per service type, the `declined` of its areas add up to its declines;
 * - the declines table (service type by reason) with its margins: per service type, per reason, in all.
 * A cell with fewer referrals than `min` is hidden whole: its other counts describe the same few people.
 */
export function protectPeriod(cells: readonly PeriodCell[], min: number) {
  const counts: number[] = [];
  const hidden: boolean[] = [];
  const add = (n: number, hide: boolean) => {
    hidden.push(hide);
    return counts.push(n) - 1;
  };
  const count = (n: number) => add(n, isSmall(n, min));
  const sums: Sum[] = [];

  const referralIds = cells.map((cell) => {
    const whole = isSmall(cell.requested, min);
    const ids = Object.fromEntries(REFERRAL_COUNTS.map((name) => [name, add(cell[name], whole || isSmall(cell[name], min))])) as Record<
      ReferralCount,
      number
    >;
    sums.push({ parts: [ids.open, ids.declined, ids.completed, ids.withdrawn], total: ids.requested });
    return ids;
  });

  const serviceTypes = [...new Set(cells.map((cell) => cell.serviceType))].sort((a, b) => serviceTypeOrder(a) - serviceTypeOrder(b));
  const ofType = (type: string | null) => cells.flatMap((cell, i) => (cell.serviceType === type ? [i] : []));
  const reasonCells = serviceTypes.map((type) =>
    DECLINE_REASONS.map((_, r) => count(ofType(type).reduce((sum, i) => sum + cells[i]!.declinedByReason[r]!, 0))),
  );
  const typeTotals = serviceTypes.map((type) => count(ofType(type).reduce((sum, i) => sum + cells[i]!.declined, 0)));
  const reasonTotals = DECLINE_REASONS.map((_, r) => count(reasonCells.reduce((sum, row) => sum + counts[row[r]!]!, 0)));
  const total = count(typeTotals.reduce((sum, id) => sum + counts[id]!, 0));
  sums.push(...tableSums(reasonCells, { rows: typeTotals, columns: reasonTotals, total }));
  serviceTypes.forEach((type, s) => sums.push({ parts: ofType(type).map((i) => referralIds[i]!.declined), total: typeTotals[s]! }));

  const hide = complementaryHidden(counts, hidden, sums);
  const shown = (id: number) => (hide[id] ? null : counts[id]!);
  const entry = (id: number) => ({ count: shown(id), suppressed: hide[id]! });

  return {
    referrals: cells.map((cell, i) => ({
      serviceType: cell.serviceType,
      area: cell.area,
      small: isSmall(cell.requested, min),
      counts: Object.fromEntries(REFERRAL_COUNTS.map((name) => [name, shown(referralIds[i]![name])])) as Record<
        ReferralCount,
        number | null
      >,
    })),
    // A service type without declines is left out of the declines report: its row is all zeros.
    declines: {
      total: entry(total),
      byReason: DECLINE_REASONS.map((reason, r) => ({ reason, ...entry(reasonTotals[r]!) })),
      byServiceType: serviceTypes.flatMap((serviceType, s) =>
        counts[typeTotals[s]!] === 0 ? [] : [{ serviceType, ...entry(typeTotals[s]!) }],
      ),
      byServiceTypeAndReason: serviceTypes.flatMap((serviceType, s) =>
        counts[typeTotals[s]!] === 0 ? [] : DECLINE_REASONS.map((reason, r) => ({ serviceType, reason, ...entry(reasonCells[s]![r]!) })),
      ),
    },
  };
}
