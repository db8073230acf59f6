import { describe, expect, it } from '@jest/globals';
import type { ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import { type ReceiptEvent, receiptId } from './consent-receipt.js';
import { languageName, readOutLine, receiptText, writtenLanguageFor } from './receipt-text.js';
import {
  CASE,
  SHELTER,
  CONSENT,
  P_SHELTER,
  P_LEGAL,
  P_HEALTH,
  WORKER,
  given,
  partial,
  names,
  GIVEN,
  FIRST,
  SECOND,
} from './testing/receipt-fixtures.js';

const text = (
  event: ReceiptEvent,
  overrides: Partial<ConsentGiven['data']> = {},
  earlierWithdrawals: Array<ConsentWithdrawn['data']> = [],
) =>
  receiptText({
    receiptId: receiptId(CONSENT, event),
    given: { ...given, ...overrides },
    event,
    earlierWithdrawals,
    ownerName: 'Demo Social Services',
    recorderName: 'Grace Caseworker',
    agencyNames: names,
  });

/** The text with line breaks undone: what a listener hears. */
const flat = (t: string) => t.replace(/\s+/g, ' ');

/** Ids the printable text must never show: only the receipt number may appear. */
const OTHER_IDS = [CASE, SHELTER, CONSENT, P_SHELTER, P_LEGAL, P_HEALTH, WORKER];

describe('printable receipt', () => {
  it('says in plain English who recorded it, when, what each recipient may receive and why, until when, how to withdraw, and the receipt number', () => {
    const { language, text: t } = text(GIVEN);
    expect(language).toBe('en');
    const heard = flat(t);
    expect(t).toContain(`Receipt number: ${receiptId(CONSENT, GIVEN)}`);
    expect(heard).toContain(
      'On 12 March 2026 at 14:05 (UTC), Grace Caseworker of Demo Social Services wrote down that you agreed to let Demo Social Services share',
    );
    expect(heard).toContain('You gave your agreement out loud. An interpreter helped.');
    expect(t).toContain(
      '1. Safe Haven Shelter\n   What: who you are (your name and other identity details); risks to\n   your safety and your safety plan.',
    );
    expect(heard).toContain('Why: to give you this help: a safe place to stay and water, washing and toilets.');
    expect(heard).toContain(
      '2. Any legal aid service in the network What: your legal situation and your papers. Why: to give you legal advice and help. Until 1 July 2026 at 00:00 (UTC), unless you ask to stop before then.',
    );
    expect(heard).toContain(
      '3. Safe Haven Shelter What: your health. Why: to follow your situation and arrange the help you get. From 1 April 2026 at 09:00 (UTC). Until you ask to stop.',
    );
    expect(heard).toContain(
      'You can change your mind at any time, about all of this or only part of it. Tell Demo Social Services and the sharing will stop.',
    );
    expect(heard.trimEnd().endsWith(`When you ask about this, give this receipt number: ${receiptId(CONSENT, GIVEN)}`)).toBe(true);
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(72);
  });

  it('writes it in French for a French consent (fr, fr-CA)', () => {
    for (const tag of ['fr', 'fr-CA']) {
      const { language, text: t } = text(GIVEN, { language: tag });
      expect(language).toBe('fr');
      expect(t).toContain(`Numéro du reçu : ${receiptId(CONSENT, GIVEN)}`);
      const heard = flat(t);
      expect(heard).toContain(
        'Le 12 mars 2026 à 14:05 (heure UTC), Grace Caseworker, de Demo Social Services, a noté que vous avez accepté',
      );
      expect(heard).toContain('Quoi : qui vous êtes');
      expect(heard).toContain("Pourquoi : pour vous apporter cette aide : un lieu sûr où loger et l'eau, l'hygiène et les toilettes.");
      expect(heard).toContain("Jusqu'au 1 juillet 2026 à 00:00 (heure UTC), sauf si vous demandez d'arrêter avant.");
      expect(heard).toContain("Vous pouvez changer d'avis à tout moment");
      expect(heard).toContain(`donnez ce numéro de reçu : ${receiptId(CONSENT, GIVEN)}`);
      expect(t).not.toMatch(/\b(What|Why|Until|Receipt number)\b/);
    }
  });

  it('gives the English text for any other language, headed by a line for the interpreter to read it out in that language', () => {
    for (const [tag, name] of [
      ['ha', 'Hausa'],
      ['kr', 'Kanuri'],
      ['ff-Latn-NG', 'Fula (Latin, Nigeria)'],
    ] as const) {
      const { language, text: t } = text(GIVEN, { language: tag });
      expect(language).toBe('en');
      expect(t.startsWith(`TO BE READ OUT IN ${name.toUpperCase()} BY THE INTERPRETER.`)).toBe(true);
      expect(flat(t)).toContain(
        `There is no written version in ${name} yet, so the text below is in English: read it out to the person in ${name}.`,
      );
      expect(t).toContain('RECORD OF YOUR AGREEMENT TO SHARE INFORMATION');
    }
    expect(readOutLine('zz-not a tag')).toContain('READ OUT IN "ZZ-NOT A TAG"');
    expect(languageName('qqq')).toBe('"qqq"');
    expect([writtenLanguageFor('EN-gb'), writtenLanguageFor('fr_BE'), writtenLanguageFor('ha')]).toEqual(['en', 'fr', undefined]);
  });

  it("says for a guardian's consent that the guardian agreed and the child said yes", () => {
    const heard = flat(text(GIVEN, { grantor: 'guardian', childAssent: true, method: 'written', interpreterUsed: false }).text);
    expect(heard).toContain('Your guardian agreed to this, and you said yes too. You gave your agreement in writing. WHO MAY');
  });

  it('tells of a withdrawal: what stops, and whether anything of the agreement is left', () => {
    const first = flat(text(FIRST).text);
    expect(first).toContain('RECORD OF YOUR DECISION TO STOP SHARING INFORMATION');
    expect(first).toContain(
      'On 20 March 2026 at 10:00 (UTC), Grace Caseworker of Demo Social Services wrote down that you asked Demo Social Services to stop sharing',
    );
    expect(first).toContain('1. Safe Haven Shelter');
    expect(first).toContain('It was to give you this help: a safe place to stay');
    expect(first).not.toContain('legal');
    expect(first).toContain('Nothing changes for the rest of what you agreed to on 12 March 2026');
    const second = flat(text(SECOND, {}, [partial]).text);
    expect(second).toContain('Nothing more is shared under that agreement.');
    expect(second).toContain(
      '1. Any legal aid service in the network What: your legal situation and your papers. It was to give you legal advice and help. 2. Safe Haven Shelter',
    );
    expect(text(SECOND, { language: 'fr' }, [partial]).text).toContain("Plus rien n'est partagé dans le cadre de cet accord.");
    expect(text(FIRST, { language: 'fr' }).text).toContain("CE QUI S'ARRÊTE MAINTENANT");
  });

  it('names a staff member of the agency when the recorder is not in the directory', () => {
    const t = receiptText({
      receiptId: receiptId(CONSENT, GIVEN),
      given,
      event: GIVEN,
      ownerName: 'Demo Social Services',
      agencyNames: names,
    }).text;
    expect(flat(t)).toContain('(UTC), a staff member of Demo Social Services wrote down');
  });

  it('shows no id but the receipt number', () => {
    for (const [event, earlier] of [
      [GIVEN, []],
      [FIRST, []],
      [SECOND, [partial]],
    ] as const) {
      for (const language of ['en', 'fr', 'ha']) {
        const t = text(event, { language }, [...earlier]).text;
        for (const id of OTHER_IDS) expect(t).not.toContain(id);
        expect(t.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)).toEqual([
          receiptId(CONSENT, event),
          receiptId(CONSENT, event),
        ]);
      }
    }
  });
});
