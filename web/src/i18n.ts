import { useEffect, useState } from 'preact/hooks';

/**
 * The screens' languages: English and French complete (the Lake Chad basin works in both). Every
 * string a user reads lives in a catalogue under web/src/messages/, never in a screen. The chosen
 * language is remembered in localStorage: it is the only thing kept there, and it says nothing about
 * the user or the people they assist.
 */
export const LANGUAGES = { en: 'English', fr: 'Français' } as const;
export type Language = keyof typeof LANGUAGES;

const STORAGE_KEY = 'language';
const listeners = new Set<(language: Language) => void>();

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'fr') return stored;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

let current: Language = initialLanguage();
// Screen readers pronounce the page in its language from the first paint.
document.documentElement.lang = current;

export const language = (): Language => current;

export function chooseLanguage(next: Language): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((listener) => listener(next));
}

/** The active language; a screen using it renders again when the user chooses another. */
export function useLanguage(): Language {
  const [active, setActive] = useState(current);
  useEffect(() => {
    listeners.add(setActive);
    return () => listeners.delete(setActive);
  }, []);
  return active;
}

/**
 * A catalogue: the same keys in every language (the compiler refuses a French catalogue missing a
 * key). Values are strings, or functions for sentences with numbers or names in them.
 */
export type Catalogue<T> = Readonly<Record<Language, T>>;
export const catalogue = <T extends Record<string, unknown>>(en: T, fr: NoInfer<T>): Catalogue<T> => ({ en, fr });

/** The words of a catalogue in the active language. */
export function useWords<T>(words: Catalogue<T>): T {
  return words[useLanguage()];
}

/** The same outside a component (formatters, errors built in plain functions). */
export const wordsOf = <T>(words: Catalogue<T>): T => words[current];

const LOCALE: Record<Language, string> = { en: 'en-GB', fr: 'fr-FR' };

/** A date and time in the user's language and time zone. */
export const formatWhen = (iso: string | undefined): string =>
  iso === undefined ? '' : new Date(iso).toLocaleString(LOCALE[current], { dateStyle: 'medium', timeStyle: 'short' });

/** A day (no time) in the user's language. */
export const formatDay = (iso: string | undefined): string =>
  iso === undefined ? '' : new Date(iso).toLocaleDateString(LOCALE[current], { dateStyle: 'medium' });

export const formatNumber = (value: number): string => value.toLocaleString(LOCALE[current]);
