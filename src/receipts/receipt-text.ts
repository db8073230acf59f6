import type { ConsentProvision } from '../../libs/consent-policy/index.js';
import type { ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import { type ReceiptEvent, recipientName } from './consent-receipt.js';
import { RECEIPT_WORDS, type ReceiptWords, type WrittenLanguage } from './receipt-words.js';

/**
 * The printable receipt a caseworker hands over or reads out, in the language of the consent.
 * English and French are written out; for any other language the English text comes headed by a
 * line telling the interpreter to read it out in that language (a written template for the
 * language can be added to RECEIPT_WORDS later). The only id it shows is the receipt number.
 */
export interface ReceiptTextInput {
  readonly receiptId: string;
  readonly given: ConsentGiven['data'];
  readonly event: ReceiptEvent;
  /** Withdrawals of the same consent before `event`: to tell whether anything of the consent is left. */
  readonly earlierWithdrawals?: ReadonlyArray<ConsentWithdrawn['data']>;
  readonly ownerName: string;
  /** The directory's display name of whoever recorded the event, when the directory knows them. */
  readonly recorderName?: string;
  readonly agencyNames: ReadonlyMap<string, string>;
}

export interface ReceiptText {
  /** The language the text is written in (Content-Language). */
  readonly language: WrittenLanguage;
  readonly text: string;
}

const WIDTH = 72;

/** The written template for a BCP 47 tag: by its primary language subtag (fr-CA is French). */
export function writtenLanguageFor(tag: string): WrittenLanguage | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'en' || primary === 'fr' ? primary : undefined;
}

/** The language's English name (ha: Hausa, kr: Kanuri), or the tag itself in quotes when it has none. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    if (name && name.toLowerCase() !== tag.toLowerCase()) return name;
  } catch {
    // not a well-formed tag: name it as recorded
  }
  return `"${tag}"`;
}

/** The line that heads the English text when no written template exists for the consent's language. */
export function readOutLine(tag: string): string {
  const name = languageName(tag);
  return `TO BE READ OUT IN ${name.toUpperCase()} BY THE INTERPRETER. There is no written version in ${name} yet, so the text below is in English: read it out to the person in ${name}.`;
}

export function receiptText(input: ReceiptTextInput): ReceiptText {
  const written = writtenLanguageFor(input.given.language);
  const language = written ?? 'en';
  const words = RECEIPT_WORDS[language];
  const body = input.event.kind === 'given' ? givenText(input, words, language) : withdrawalText(input, input.event.data, words, language);
  const lines = [...(written ? [] : [...wrap(readOutLine(input.given.language)), '']), ...body];
  return { language, text: `${lines.join('\n')}\n` };
}

function givenText(input: ReceiptTextInput, words: ReceiptWords, language: WrittenLanguage): string[] {
  const { given, ownerName } = input;
  const w = words.given;
  const how = [
    ...(given.grantor === 'guardian' ? [given.childAssent ? w.guardianAndChild : w.guardian] : []),
    w.method[given.method],
    ...(given.interpreterUsed ? [w.interpreter] : []),
  ];
  return [
    w.title,
    '',
    `${w.receiptNumber}${words.colon}${input.receiptId}`,
    '',
    ...wrap(w.intro(when(given.givenAt, words), recorder(input, words), ownerName)),
    ...wrap(how.join(' ')),
    '',
    w.heading,
    '',
    ...given.provisions.flatMap((p, index) => [
      ...provisionLines(p, index, input, words, language),
      ...(Date.parse(p.validFrom) > Date.parse(given.givenAt) ? wrap(w.from(when(p.validFrom, words)), '   ') : []),
      ...wrap(p.validUntil ? w.until(when(p.validUntil, words)) : w.untilStopped, '   '),
      '',
    ]),
    ...wrap(w.onlyThis),
    '',
    w.rightsHeading,
    '',
    ...wrap(w.rights(ownerName)),
    '',
    ...wrap(words.quote(input.receiptId)),
  ];
}

function withdrawalText(
  input: ReceiptTextInput,
  withdrawal: ConsentWithdrawn['data'],
  words: ReceiptWords,
  language: WrittenLanguage,
): string[] {
  const { given, ownerName } = input;
  const w = words.withdrawal;
  const ended = new Set([...(input.earlierWithdrawals ?? []).flatMap((e) => e.provisionIds), ...withdrawal.provisionIds]);
  const somethingLeft = given.provisions.some((p) => !ended.has(p.provisionId));
  const givenWhen = when(given.givenAt, words);
  return [
    w.title,
    '',
    `${words.given.receiptNumber}${words.colon}${input.receiptId}`,
    '',
    ...wrap(w.intro(when(withdrawal.withdrawnAt, words), recorder(input, words), ownerName, givenWhen)),
    '',
    w.heading,
    '',
    ...given.provisions
      .filter((p) => withdrawal.provisionIds.includes(p.provisionId))
      .flatMap((p, index) => [...provisionLines(p, index, input, words, language, w.wasFor), '']),
    ...wrap(w.stops(ownerName)),
    ...wrap(somethingLeft ? w.partRemains(givenWhen) : w.allEnded),
    '',
    ...wrap(w.again),
    '',
    ...wrap(words.quote(input.receiptId)),
  ];
}

/** "1. Recipient / What: ... / Why: ..." (a withdrawal says "It was ..." instead of "Why: ..."). */
function provisionLines(
  p: ConsentProvision,
  index: number,
  input: ReceiptTextInput,
  words: ReceiptWords,
  language: WrittenLanguage,
  wasFor?: string,
): string[] {
  const why = words.why(p.purpose, p.serviceTypes);
  return [
    ...wrap(`${index + 1}. ${capitalised(recipientName(p.recipient, input.agencyNames, language))}`, '   ', ''),
    ...wrap(`${words.given.what}${words.colon}${p.categories.map((c) => words.categories[c]).join(words.semicolon)}.`, '   '),
    ...wrap(wasFor ? `${wasFor} ${why}.` : `${words.given.whyLabel}${words.colon}${why}.`, '   '),
  ];
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function recorder(input: ReceiptTextInput, words: ReceiptWords): string {
  return input.recorderName ? words.recorderOf(input.recorderName, input.ownerName) : words.staffMember(input.ownerName);
}

/** A date and time as people read them, in UTC so every copy of the receipt says the same. */
function when(iso: string, words: ReceiptWords): string {
  const formatted = new Intl.DateTimeFormat(words.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));
  return `${formatted} (${words.utc})`;
}

/** Wraps a paragraph at WIDTH columns for printing; `indent` for continuation lines, `first` for the first. */
function wrap(paragraph: string, indent = '', first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of paragraph.split(' ')) {
    const blank = line.trim() === '';
    if (!blank && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line = blank ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}
