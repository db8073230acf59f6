import { EXPORTED_TERM_IDS } from './hsds-open-eligibility.js';
import type { CollectionRecord, HsdsAttribute } from './hsds-records.js';
import { type Entity, TAXONOMIES, TERMS_BY_ID, type TaxonomyKey, taxonomyId } from './hsds-taxonomies.js';

/** Lists one invalid field of one record (never the value found there). */
export type Report = (where: string, id: string, field: string, message: string) => void;

/**
 * The checks of the taxonomy terms an import's records carry, after checking the file's own terms:
 * the network's own by their fixed ids; a term of another taxonomy is let be; one claiming a taxonomy of ours must be ours.
 */
export function termChecks(terms: ReadonlyArray<{ where: string; record: CollectionRecord<'taxonomy_terms'> }>, report: Report) {
  const ownTaxonomyIds = new Map((Object.keys(TAXONOMIES) as TaxonomyKey[]).map((key) => [taxonomyId(key), key]));
  const ownTaxonomyNames = new Map<string, TaxonomyKey>(
    (Object.keys(TAXONOMIES) as TaxonomyKey[]).map((key) => [TAXONOMIES[key].name, key]),
  );
  const foreignTerms = new Set<string>();
  for (const { where, record } of terms) {
    const claimed =
      (record.taxonomy_id && ownTaxonomyIds.get(record.taxonomy_id)) || (record.taxonomy && ownTaxonomyNames.get(record.taxonomy));
    if (!claimed) foreignTerms.add(record.id.toLowerCase());
    else if (
      TERMS_BY_ID.get(record.id.toLowerCase())?.taxonomy !== claimed ||
      TERMS_BY_ID.get(record.id.toLowerCase())?.code !== record.code
    ) {
      report(
        where,
        record.id,
        '/code',
        `not a term of ${TAXONOMIES[claimed].name}: its codes are ${TAXONOMIES[claimed].terms.map((t) => t.code).join(', ')}`,
      );
    }
  }

  /** The record's attributes of the network's taxonomies; a wrong link or an unknown term is reported. */
  const termsOn = (where: string, id: string, entity: Entity, attributes: readonly HsdsAttribute[] = []) =>
    attributes.flatMap((a, index) => {
      const at = `/attributes/${index}`;
      const term = a.taxonomy_term_id === undefined ? undefined : TERMS_BY_ID.get(a.taxonomy_term_id.toLowerCase());
      if (!term) {
        const known =
          a.taxonomy_term_id !== undefined &&
          (foreignTerms.has(a.taxonomy_term_id.toLowerCase()) || EXPORTED_TERM_IDS.has(a.taxonomy_term_id.toLowerCase()));
        if (!known) report(where, id, `${at}/taxonomy_term_id`, 'no taxonomy term of this file or of the network has this id');
        return [];
      }
      // Links are checked on the network's own attributes only: another publisher's are kept as published.
      if (a.link_id !== undefined && a.link_id.toLowerCase() !== id.toLowerCase())
        report(where, id, `${at}/link_id`, 'must be the id of the record it is in');
      if (a.link_entity !== undefined && a.link_entity !== entity) report(where, id, `${at}/link_entity`, `must be ${entity}`);
      if (TAXONOMIES[term.taxonomy].describes !== entity) {
        report(
          where,
          id,
          `${at}/taxonomy_term_id`,
          `${TAXONOMIES[term.taxonomy].name} terms describe ${TAXONOMIES[term.taxonomy].describes}s, not ${entity}s`,
        );
        return [];
      }
      return [{ ...term, value: a.value, at }];
    });
  type FoundTerm = ReturnType<typeof termsOn>[number];
  const exactlyOne = (where: string, id: string, found: readonly FoundTerm[], taxonomy: TaxonomyKey, what: string, code?: string) => {
    const matching = found.filter((t) => t.taxonomy === taxonomy && (code === undefined || t.code === code));
    if (matching.length !== 1)
      report(where, id, '/attributes', `needs exactly one ${TAXONOMIES[taxonomy].name} term${code ? ` ${code}` : ''} (${what})`);
    return matching.length === 1 ? matching[0] : undefined;
  };
  const distinct = (where: string, id: string, found: readonly FoundTerm[], key: (t: FoundTerm) => string) => {
    const seen = new Set<string>();
    for (const t of found) {
      if (seen.has(key(t))) report(where, id, t.at, 'repeats another attribute');
      seen.add(key(t));
    }
  };
  return { termsOn, exactlyOne, distinct };
}

/** Length and count limits of a record's fields. */
export function fieldChecks(report: Report) {
  const checkText = (where: string, id: string, field: string, value: string | undefined, max: number, min = 0) => {
    if ((value ?? '').length < min || (value ?? '').length > max)
      report(where, id, field, min > 0 ? `must be ${min} to ${max} characters long` : `must be at most ${max} characters long`);
  };
  const checkCount = (where: string, id: string, field: string, items: readonly unknown[] = [], max: number) => {
    if (items.length > max) report(where, id, field, `at most ${max}`);
  };
  return { checkText, checkCount };
}
