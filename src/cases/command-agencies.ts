import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import type { ConsentRecipient, DisclosureGrant } from '../../libs/consent-policy/index.js';
import { normalInstant } from '../../libs/time/index.js';
import { OUTSIDE_NETWORK } from '../directory/directory.model.js';
import { SERVICE_DIRECTORY, type ServiceDirectory } from '../directory/service-directory.port.js';
import { type MemberAgency, MemberAgencies } from '../identity/member-agencies.js';
import type { ProvisionDto } from './consent.dtos.js';

/**
 * The agencies a case command names, checked before it is decided: the recipients of a consent's or
 * a best-interests determination's grants, and a referral's recipient.
 */
@Injectable()
export class CommandAgencies {
  constructor(
    private readonly agencies: MemberAgencies,
    @Inject(SERVICE_DIRECTORY) private readonly directory: ServiceDirectory,
  ) {}

  /** Checks the named agencies exist; gives the grants as of the moment the command is decided. */
  async grants(entries: readonly ProvisionDto[], field: string): Promise<(at: string) => DisclosureGrant[]> {
    const recipients = entries.map((p, index): ConsentRecipient => {
      const { agencyId, agencyKind } = p.recipient;
      if ((agencyId === undefined) === (agencyKind === undefined)) {
        throw new BadRequestException(`${field}[${index}].recipient names exactly one of agencyId or agencyKind`);
      }
      return agencyId !== undefined ? { agencyId } : { agencyKind: agencyKind! };
    });
    await this.requireAgencies(recipients.flatMap((r) => ('agencyId' in r ? [r.agencyId] : [])));
    const periods = entries.map((p, index) =>
      [p.validFrom, p.validUntil].map((text) => {
        if (text === undefined) return undefined;
        // Read as validated (libs/time): an unreadable time is refused, never taken for now or for no end.
        const normal = normalInstant(text);
        if (normal === undefined)
          throw new BadRequestException(`${field}[${index}] has a time that is not an RFC 3339 date-time with an offset`);
        return normal;
      }),
    );
    return (at) =>
      entries.map((p, index) => {
        const [from, until] = periods[index]!;
        // Nothing is permitted before it was agreed: a back-dated start is moved to now. Both are in
        // normal form (UTC, four-digit years), so their text order is their time order.
        const validFrom = from !== undefined && from > at ? from : at;
        if (until !== undefined && until <= validFrom) {
          throw new BadRequestException(`${field}[${index}] ends before it starts (validUntil must be after validFrom and after now)`);
        }
        return {
          recipient: recipients[index]!,
          purpose: p.purpose,
          serviceTypes: p.serviceTypes ?? [],
          categories: p.categories,
          validFrom,
          ...(until !== undefined ? { validUntil: until } : {}),
        };
      });
  }

  /**
   * A referral names an agency of the network; one that left it, or an organization the directory
   * lists outside the network, is refused with why (409), an unknown id with 400.
   */
  async referralRecipient(agencyId: string): Promise<MemberAgency> {
    const agency = await this.agencies.find(agencyId);
    if (!agency && (await this.directory.listedOrganization(agencyId)))
      throw new ConflictException(`toAgencyId: organization ${agencyId} is listed in the directory but is ${OUTSIDE_NETWORK}`);
    if (!agency) throw new BadRequestException(`unknown agency: ${agencyId}`);
    if (!agency.active) throw new ConflictException('the agency is no longer an active member of the network');
    return agency;
  }

  private async requireAgencies(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await this.agencies.activeByIds(unique);
    const missing = unique.filter((id) => !found.some((a) => a.id === id));
    if (missing.length > 0) throw new BadRequestException(`unknown agency: ${missing.join(', ')}`);
  }
}
