import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { SERVICE_TYPES, type ServiceType } from '../../libs/consent-policy/index.js';
import { DECLINE_REASONS } from '../../libs/domain/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SERVICE_DIRECTORY, type ServiceDirectory, type ServiceOffer } from '../directory/service-directory.port.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { WAITING_FOR_RESPONSE } from './referral-facts.projection.js';
import { isSmall, suppressed, suppressionNote, suppressParts } from './suppression.js';

/** Whole days, `to` included; both optional. */
export interface PeriodQuery {
  readonly from?: string;
  readonly to?: string;
}

const DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;
/** The overdue list is operational; past this many, the oldest deadlines come first and the rest wait for the next read. */
const OVERDUE_LIMIT = 1000;

const addDays = (date: string, days: number) => new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
const hoursSinceRequest = (column: string) => `extract(epoch FROM ${column} - requested_at) / 3600`;
const percentile = (fraction: number, column: string) =>
  `round((percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${hoursSinceRequest(column)}))::numeric, 2)::float8`;

interface ReferralCell {
  service_type: string | null;
  area: string | null;
  requested: number;
  accepted: number;
  declined: number;
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
 * which holds no case id and no personal data, and suppress small counts; the service map comes
 * from the service directory; the overdue list is operational and names referrals, never cases.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_DIRECTORY) private readonly directory: ServiceDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
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
      const agencies = new Map(here.map((o) => [o.agencyId, { agencyId: o.agencyId, agencyName: o.agencyName, agencyKind: o.agencyKind, subcommittees: o.agencySubcommittees }]));
      const withCapacity = here.flatMap((o) => (o.capacity ? [o.capacity] : []));
      return {
        area,
        serviceType,
        agencies: [...agencies.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName)),
        capacity: withCapacity.length === 0 ? null : {
          total: withCapacity.reduce((sum, c) => sum + c.total, 0),
          available: withCapacity.reduce((sum, c) => sum + c.available, 0),
        },
      };
    });
    rows.sort((a, b) => Number(a.area === null) - Number(b.area === null) || (a.area ?? '').localeCompare(b.area ?? '')
      || SERVICE_TYPES.indexOf(a.serviceType) - SERVICE_TYPES.indexOf(b.serviceType));
    return { rows };
  }

  /** Referral volumes, outcomes and response times per service type and area, for referrals requested in the period. */
  async referrals(query: PeriodQuery) {
    const period = this.period(query);
    const min = this.config.reportMinCell;
    const cells = await this.db.query<ReferralCell>(
      `SELECT service_type, area, count(*)::int AS requested,
              count(*) FILTER (WHERE decided_at IS NOT NULL AND status <> 'declined')::int AS accepted,
              count(*) FILTER (WHERE status = 'declined')::int AS declined,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn,
              count(*) FILTER (WHERE status IN ('requested', 'acknowledged', 'accepted'))::int AS open,
              count(*) FILTER (WHERE ${WAITING_FOR_RESPONSE} AND respond_by < $3)::int AS overdue,
              count(first_response_at)::int AS responded, count(decided_at)::int AS decided,
              ${percentile(0.5, 'first_response_at')} AS first_response_median, ${percentile(0.9, 'first_response_at')} AS first_response_p90,
              ${percentile(0.5, 'decided_at')} AS decision_median, ${percentile(0.9, 'decided_at')} AS decision_p90
         FROM referral_facts WHERE requested_at >= $1 AND requested_at < $2
        GROUP BY service_type, area ORDER BY service_type NULLS LAST, area NULLS LAST`,
      [period.start, period.end, this.clock.now()],
    );
    const rows = cells.map((cell) => {
      const where = { serviceType: cell.service_type, area: cell.area };
      // A small cell is hidden whole: its other counts and times would describe the same few referrals.
      if (isSmall(cell.requested, min)) {
        const counts = { requested: null, accepted: null, declined: null, completed: null, withdrawn: null, open: null, overdue: null };
        return { ...where, counts, hoursToFirstResponse: null, hoursToDecision: null, suppressed: true };
      }
      // Every referral is open, declined, completed or withdrawn: these add up to `requested`.
      const [open, declined, completed, withdrawn] = suppressParts([cell.open, cell.declined, cell.completed, cell.withdrawn], min);
      const counts = { requested: cell.requested, accepted: suppressed(cell.accepted, min), declined, completed, withdrawn, open, overdue: suppressed(cell.overdue, min) };
      const times = (n: number, median: number | null, p90: number | null) => (n === 0 || isSmall(n, min) ? null : { median, p90 });
      return {
        ...where,
        counts,
        hoursToFirstResponse: times(cell.responded, cell.first_response_median, cell.first_response_p90),
        hoursToDecision: times(cell.decided, cell.decision_median, cell.decision_p90),
        suppressed: Object.values(counts).includes(null) || isSmall(cell.responded, min) || isSmall(cell.decided, min),
      };
    });
    return { period: { from: period.from, to: period.to }, ...suppressionNote(min), rows };
  }

  /** Declines of referrals requested in the period, by reason, and by service type and reason. */
  async declines(query: PeriodQuery) {
    const period = this.period(query);
    const min = this.config.reportMinCell;
    const counts = await this.db.query<{ service_type: string | null; reason: string; count: number }>(
      `SELECT service_type, decline_reason AS reason, count(*)::int AS count FROM referral_facts
        WHERE status = 'declined' AND requested_at >= $1 AND requested_at < $2 GROUP BY service_type, decline_reason`,
      [period.start, period.end],
    );
    // Every reason is listed, zeros too: the reasons of a group add up to its declines, which the referral report shows.
    const byReasonOf = (rows: typeof counts) => {
      const reported = suppressParts(DECLINE_REASONS.map((reason) => rows.filter((r) => r.reason === reason).reduce((sum, r) => sum + r.count, 0)), min);
      return DECLINE_REASONS.map((reason, i) => ({ reason, count: reported[i]!, suppressed: reported[i] === null }));
    };
    const serviceTypes = [...SERVICE_TYPES, null].filter((type) => counts.some((r) => r.service_type === type));
    return {
      period: { from: period.from, to: period.to },
      ...suppressionNote(min),
      byReason: byReasonOf(counts),
      byServiceTypeAndReason: serviceTypes.flatMap((serviceType) => byReasonOf(counts.filter((r) => r.service_type === serviceType)).map((r) => ({ serviceType, ...r }))),
    };
  }

  /** Referrals waiting for an answer past their deadline, across the network, most overdue first. */
  async overdueReferrals() {
    const asOf = this.clock.now();
    const rows = await this.db.query<{
      referral_id: string; from_agency_id: string; from_agency_name: string | null; to_agency_id: string; to_agency_name: string | null;
      service_type: string | null; urgency: string; requested_at: Date; respond_by: Date; hours_overdue: number;
    }>(
      `SELECT f.referral_id, f.from_agency_id, sender.name AS from_agency_name, f.to_agency_id, recipient.name AS to_agency_name,
              f.service_type, f.urgency, f.requested_at, f.respond_by,
              round((extract(epoch FROM $1::timestamptz - f.respond_by) / 3600)::numeric, 1)::float8 AS hours_overdue
         FROM (SELECT * FROM referral_facts WHERE ${WAITING_FOR_RESPONSE} AND respond_by < $1) f
         LEFT JOIN agencies sender ON sender.id = f.from_agency_id
         LEFT JOIN agencies recipient ON recipient.id = f.to_agency_id
        ORDER BY f.respond_by, f.referral_id LIMIT ${OVERDUE_LIMIT}`,
      [asOf],
    );
    return {
      asOf,
      referrals: rows.map((r) => ({
        referralId: r.referral_id,
        fromAgency: { id: r.from_agency_id, name: r.from_agency_name },
        toAgency: { id: r.to_agency_id, name: r.to_agency_name },
        serviceType: r.service_type,
        urgency: r.urgency,
        requestedAt: new Date(r.requested_at).toISOString(),
        respondBy: new Date(r.respond_by).toISOString(),
        hoursOverdue: r.hours_overdue,
      })),
    };
  }

  /** The period in whole UTC days, `to` included; by default the last 90 days up to today. */
  private period(query: PeriodQuery) {
    const to = query.to ?? this.clock.now().slice(0, 10);
    const from = query.from ?? addDays(to, 1 - DEFAULT_DAYS);
    if (from > to) throw new BadRequestException('from must not be after to');
    return { from, to, start: `${from}T00:00:00Z`, end: `${addDays(to, 1)}T00:00:00Z` };
  }
}
