const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The case id as it goes into associated data and the key table. PostgreSQL treats `ABC…` and
 * `abc…` as the same uuid; lower-casing here makes the crypto agree, so a value sealed with one
 * spelling still opens with the other.
 */
export function canonicalCaseId(caseId: string): string {
  if (typeof caseId !== 'string' || !UUID.test(caseId)) throw new TypeError('case id must be a UUID');
  return caseId.toLowerCase();
}
