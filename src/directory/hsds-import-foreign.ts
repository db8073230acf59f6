// Other publishers' taxonomy terms in an HSDS import: kept inside the attributes that use them, so the export can publish them again.
import type { Json } from './hsds-extra.js';
import { EXPORTED_TERM_IDS, type ForeignTerm, openEligibilityTaxonomyId } from './hsds-open-eligibility.js';
import type { CollectionRecord, HsdsAttribute } from './hsds-records.js';
import { TAXONOMIES, TERMS_BY_ID, type TaxonomyKey, taxonomyId } from './hsds-taxonomies.js';

type Read<C extends 'taxonomy_terms' | 'taxonomies'> = ReadonlyArray<{ where: string; record: CollectionRecord<C> }>;
export type Ignore = (where: string, id: string | undefined, field: string, reason: string) => void;

/** The file's terms of other taxonomies, each with its taxonomy, and what records use of them. */
export function foreignTermsOf(termRecords: Read<'taxonomy_terms'>, taxonomyRecords: Read<'taxonomies'>) {
  const taxonomies = new Map(taxonomyRecords.map(({ record }) => [record.id.toLowerCase(), record]));
  const foreignTerms = new Map(
    termRecords
      .filter(({ record }) => !TERMS_BY_ID.has(record.id.toLowerCase()))
      .map(({ record }) => {
        const detail = record.taxonomy_id ? taxonomies.get(record.taxonomy_id.toLowerCase()) : undefined;
        return [record.id.toLowerCase(), detail ? { ...record, taxonomy_detail: detail } : { ...record }] as const;
      }),
  );
  const usedTerms = new Set<string>();
  /** A record's attributes of other taxonomies, each with its term, and what those terms say (e.g. Open Eligibility). */
  const foreignAttributes = (attributes: readonly HsdsAttribute[] = []) => {
    const kept = attributes.flatMap((a) => {
      const termId = a.taxonomy_term_id?.toLowerCase() ?? '';
      if (TERMS_BY_ID.has(termId) || EXPORTED_TERM_IDS.has(termId)) return [];
      usedTerms.add(termId);
      const term = foreignTerms.get(termId);
      return [term ? { ...a, taxonomy_term: term } : a];
    });
    const terms: ForeignTerm[] = kept.flatMap((a) => {
      const term = (a as { taxonomy_term?: Json }).taxonomy_term;
      if (!term) return [];
      const detail = term.taxonomy_detail as Json | undefined;
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const taxonomyName = text(detail?.name) ?? text(term.taxonomy);
      const taxonomyUri = text(detail?.uri);
      return [
        {
          ...(text(term.code) ? { code: text(term.code) } : {}),
          ...(text(term.name) ? { name: text(term.name) } : {}),
          ...(taxonomyName ? { taxonomyName } : {}),
          ...(taxonomyUri ? { taxonomyUri } : {}),
        },
      ];
    });
    return { kept, terms };
  };
  /** Terms and taxonomies of the file no record used: listed as not kept. */
  const ignoreUnused = (ignore: Ignore) => {
    for (const { where, record } of termRecords)
      if (
        !TERMS_BY_ID.has(record.id.toLowerCase()) &&
        !EXPORTED_TERM_IDS.has(record.id.toLowerCase()) &&
        !usedTerms.has(record.id.toLowerCase())
      )
        ignore(where, record.id, '/', 'not kept: no record of the file uses this term (the directory keeps the terms its records carry)');
    const ownTaxonomyIds = new Set([openEligibilityTaxonomyId, ...(Object.keys(TAXONOMIES) as TaxonomyKey[]).map(taxonomyId)]);
    const usedTaxonomies = new Set(
      [...foreignTerms.values()].filter((t) => usedTerms.has(t.id.toLowerCase())).map((t) => t.taxonomy_id?.toLowerCase()),
    );
    for (const { where, record } of taxonomyRecords)
      if (!usedTaxonomies.has(record.id.toLowerCase()) && !ownTaxonomyIds.has(record.id.toLowerCase()))
        ignore(where, record.id, '/', "not kept: no term used by the file's records is of this taxonomy (the network's own are fixed)");
  };
  return { foreignAttributes, ignoreUnused };
}
export type ForeignAttributes = ReturnType<typeof foreignTermsOf>['foreignAttributes'];
