import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { SERVICE_TYPES, type ServiceType } from '../../libs/consent-policy/index.js';
import { DECLINE_REASONS } from '../../libs/domain/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SERVICE_DIRECTORY, type ServiceDirectory, type ServiceOffer } from '../directory/service-directory.port.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { WAITING_FOR_RESPONSE } from '../referrals/referral-inbox.projection.js';
import { type PeriodQuery, reportPeriod } from './report-period.js';
import { type PeriodCell, protectPeriod, serviceTypeOrder } from './report-tables.js';
import { isSmall, suppressionNote } from './suppression.js';

const hoursSinceRequest = (column: string) => `extract(epoch FROM ${column} - requested_at) / 3600`;
const percentile = (fraction: number, column: string) =>
  `round((percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${hoursSinceRequest(column)}))::numeric, 2)::float8`;

interface ReferralCell {
  service_type: string | null;
  area: string | null;
  requested: number;
  accepted: number;
  declined: number;
  declined_by_reason: number[];
  completed: number;
  withdrawn: number;
  open: number;
  overdue: number;
  responded: number;
  decided: number;
  first_response_median: number | null;
  first_response_p90: number | null;
  decision_median: number | null;
  decision_p90: number | null;
}

/**
 * The network coordinator's reports. The statistics (referrals, declines) come from referral_facts,
 * which holds no case id and no personal data, and suppress small counts and whatever would give
 * them away; the service map comes from the service directory; the overdue counts are operational
 * and name receiving agencies, never a referral.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_DIRECTORY) private readonly directory: ServiceDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly members: MemberAgencies,
  ) {}

  /** Who does what where: per area and service type, the agencies offering it now and their capacity where known. */
  async serviceMap() {
    const offers = (await Promise.all(SERVICE_TYPES.map((serviceType) => this.directory.offers({ serviceType }))))
      .flat()
      .filter((offer) => offer.status === 'active' && offer.agencyActive);
    const cells = new Map<string, { area: string | null; serviceType: ServiceType; offers: ServiceOffer[] }>();
    for (const offer of offers) {
      // A service with no area on record (nor its agency) is listed under area null rather than left out.
      for (const area of offer.areas.length > 0 ? offer.areas : [null]) {
        const key = JSON.stringify([area, offer.serviceType]);
        const cell = cells.get(key) ?? { area, serviceType: offer.serviceType, offers: [] };
        cell.offers.push(offer);
        cells.set(key, cell);
      }
    }
    const rows = [...cells.values()].map(({ area, serviceType, offers: here }) => {
      const agencies = new Map(
        here.map((o) => [
          o.agencyId,
          { agencyId: o.agencyId, agencyName: o.agencyName, agencyKind: o.agencyKind, subcommittees: o.agencySubcommittees },
        ]),
      );
      const withCapacity = here.flatMap((o) => (o.capacity ? [o.capacity] : []));
      return {
        area,
        serviceType,
        agencies: [...agencies.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName)),
        capacity:
          withCapacity.length === 0
            ? null
            : {
                total: withCapacity.reduce((sum, c) => sum + c.total, 0),
                available: withCapacity.reduce((sum, c) => sum + c.available, 0),
              },
      };
    });
    rows.sort(
      (a, b) =>
        Number(a.area === null) - Number(b.area === null) ||
        (a.area ?? '').localeCompare(b.area ?? '') ||
        SERVICE_TYPES.indexOf(a.serviceType) - SERVICE_TYPES.indexOf(b.serviceType),
    );
    return { rows };
  }

  /** Referral volumes, outcomes and response times per service type and area, for referrals requested in the period. */
  async referrals(query: PeriodQuery) {
    const min = this.config.reportMinCell;
    const { period, cells } = await this.periodCells(query);
    const rows = protectPeriod(cells.map(periodCell), min).referrals.map(({ serviceType, area, small, counts }, i) => {
      const cell = cells[i]!;
      // Times of a cell hidden whole, or of too few answers, would describe the same few referrals.
      const times = (n: number, median: number | null, p90: number | null) =>
        small || n === 0 || isSmall(n, min) ? null : { median, p90 };
      const hoursToFirstResponse = times(cell.responded, cell.first_response_median, cell.first_response_p90);
      const hoursToDecision = times(cell.decided, cell.decision_median, cell.decision_p90);
      return {
        serviceType,
        area,
        counts,
        hoursToFirstResponse,
        hoursToDecision,
        suppressed: Object.values(counts).includes(null) || isSmall(cell.responded, min) || isSmall(cell.decided, min),
      };
    });
    return { period: { from: period.from, to: period.to }, ...suppressionNote(min), rows };
  }

  /** Declines of referrals requested in the period: in all, by reason, by service type, and by service type and reason. */
  async declines(query: PeriodQuery) {
    const min = this.config.reportMinCell;
    const { period, cells } = await this.periodCells(query);
    return { period: { from: period.from, to: period.to }, ...suppressionNote(min), ...protectPeriod(cells.map(periodCell), min).declines };
  }

  /**
   * Referrals waiting for an answer past their deadline (not on hold), per receiving agency and
   * service type: how many, and the whole days the longest has waited past its deadline. No
   * referral, no time of a referral: the agencies find their own through GET /referrals?overdue=true.
   */
  async overdueReferrals() {
    const asOf = this.clock.now();
    const counts = await this.db.query<{ to_agency_id: string; service_type: string | null; overdue: number; max_days_overdue: number }>(
      `SELECT to_agency_id, service_type, count(*)::int AS overdue,
              floor(extract(epoch FROM $1::timestamptz - min(respond_by)) / 86400)::int AS max_days_overdue
         FROM referral_facts WHERE ${WAITING_FOR_RESPONSE} AND respond_by < $1
        GROUP BY to_agency_id, service_type`,
      [asOf],
    );
    // A recipient unknown to identity is still counted, without a name.
    const names = new Map((await this.members.byIds(counts.map((r) => r.to_agency_id))).map((a) => [a.id, a.name]));
    const rows = counts.map((r) => ({ ...r, to_agency_name: names.get(r.to_agency_id) ?? null }));
    rows.sort(
      (a, b) =>
        b.max_days_overdue - a.max_days_overdue ||
        (a.to_agency_name ?? '').localeCompare(b.to_agency_name ?? '') ||
        a.to_agency_id.localeCompare(b.to_agency_id) ||
        serviceTypeOrder(a.service_type) - serviceTypeOrder(b.service_type),
    );
    return {
      asOf,
      rows: rows.map((r) => ({
        agency: { id: r.to_agency_id, name: r.to_agency_name },
        serviceType: r.service_type,
        overdue: r.overdue,
        maxDaysOverdue: r.max_days_overdue,
      })),
    };
  }

  /** Per service type and area, the referrals requested in the period: counts, declines by reason and response times. */
  private async periodCells(query: PeriodQuery) {
    const period = reportPeriod(query, this.clock.now().slice(0, 10));
    if ('refused' in period) throw new BadRequestException(period.refused);
    const reasons = DECLINE_REASONS.map((_, i) => `count(*) FILTER (WHERE status = 'declined' AND decline_reason = $${i + 4})`).join(', ');
    const cells = await this.db.query<ReferralCell>(
      `SELECT service_type, area, count(*)::int AS requested,
              count(*) FILTER (WHERE decided_at IS NOT NULL AND status <> 'declined')::int AS accepted,
              count(*) FILTER (WHERE status = 'declined')::int AS declined, ARRAY[${reasons}]::int[] AS declined_by_reason,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn,
              count(*) FILTER (WHERE status IN ('requested', 'acknowledged', 'accepted'))::int AS open,
              count(*) FILTER (WHERE ${WAITING_FOR_RESPONSE} AND respond_by < $3)::int AS overdue,
              count(first_response_at)::int AS responded, count(decided_at)::int AS decided,
              ${percentile(0.5, 'first_response_at')} AS first_response_median, ${percentile(0.9, 'first_response_at')} AS first_response_p90,
              ${percentile(0.5, 'decided_at')} AS decision_median, ${percentile(0.9, 'decided_at')} AS decision_p90
         FROM referral_facts WHERE requested_at >= $1 AND requested_at < $2
        GROUP BY service_type, area ORDER BY service_type NULLS LAST, area NULLS LAST`,
      [period.start, period.end, this.clock.now(), ...DECLINE_REASONS],
    );
    return { period, cells };
  }
}

const periodCell = (cell: ReferralCell): PeriodCell => ({
  serviceType: cell.service_type,
  area: cell.area,
  requested: cell.requested,
  accepted: cell.accepted,
  declined: cell.declined,
  declinedByReason: cell.declined_by_reason,
  completed: cell.completed,
  withdrawn: cell.withdrawn,
  open: cell.open,
  overdue: cell.overdue,
});
