// Runs inside the page (Playwright sends its source): plain JavaScript, as the tests' TypeScript has no DOM types.

/** True once the screen has loaded what it shows: a heading, and no "…" of a load, an agency name or a preview still on its way. */
export const screenSettled = () => document.querySelector('main h1') !== null && !document.body.innerText.includes('…');

/** The language the page declares to screen readers. */
export const pageLanguage = () => document.documentElement.lang;

/** How wide the page is, scrolled sideways or not. */
export const pageWidth = () => document.scrollingElement.scrollWidth;

/** The tables of the page with no row in their body. */
export const emptyTables = () => Array.from(document.querySelectorAll('table')).filter((table) => !table.querySelector('tbody tr')).length;

/**
 * axe-core's violations on the whole page (axe.min.js added to the page first), each with its impact and the elements concerned.
 * @returns {Promise<Array<{ id: string, impact: string, targets: string[] }>>}
 */
export const axeViolations = async () =>
  (await window.axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));

/** Whether `element` has the keyboard's focus. */
export const hasFocus = (element) => element === document.activeElement;

/** Follows a link to `path` the moment the signed-in layout is in the page, before anything the screens do after painting it. */
export const followWhenSignedIn = (path) =>
  new MutationObserver((_, observer) => {
    if (!document.querySelector('header nav')) return;
    observer.disconnect();
    window.location.hash = path;
  }).observe(document.body, { childList: true, subtree: true });

/**
 * True once the first selector's element is in the page and the second's is not, at the same moment: a
 * list narrowed by a filter, neither the list before it nor one still loading.
 * @param {string[]} selectors the element shown, then the one hidden
 */
export const narrowedTo = (selectors) => document.querySelector(selectors[0]) !== null && document.querySelector(selectors[1]) === null;
