/** The FHIR value helpers of the consent export: narratives, plain strings, instants, derived ids and agency URNs. */
import { createHash } from 'node:crypto';
import type { Extension, Narrative } from './fhir-r4.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An agency's full URL in the Bundle: its id where that is a UUID (as the directory's are), else one derived from it. */
export const agencyUrn = (agencyId: string) =>
  `urn:uuid:${UUID.test(agencyId) ? agencyId.toLowerCase() : derivedUuid(`agency:${agencyId}`)}`;

/** A generated narrative: paragraphs, a nested list for an array; every value escaped. */
export function narrative(parts: ReadonlyArray<string | readonly string[]>): Narrative {
  const body = parts
    .filter((p) => p.length > 0)
    .map((p) => (typeof p === 'string' ? `<p>${xml(p)}</p>` : `<ul>${p.map((item) => `<li>${xml(item)}</li>`).join('')}</ul>`))
    .join('');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}

/**
 * Text the API took (a language, a notice version, an agency's name) as a FHIR string: characters
 * neither XML nor FHIR allow (controls, non-characters) dropped, whitespace made plain.
 */
export function plain(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
const xml = (text: string) => plain(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The API takes any short string as the language: a BCP 47-shaped one is a FHIR `code`, anything
 * else a `string` made plain, nothing if blank.
 */
export function languageExtension(url: string, language: string): Extension[] {
  if (/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language)) return [{ url, valueCode: language }];
  const text = plain(language);
  return text ? [{ url, valueString: text }] : [];
}

/** FHIR instants need seconds and a zone; normalises whatever ISO 8601 the trail holds. */
export const instant = (iso: string) => new Date(iso).toISOString();
export const day = (iso: string) => instant(iso).slice(0, 10);

/** A stable id for a resource this service has no id of (a Provenance), so an export is reproducible. */
export function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(`referral-coordination:fhir:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
