import { PROBLEM_KINDS, PROBLEM_TYPES, type ProblemKind } from '../platform/problem-catalogue.js';

const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f2f2f2;padding:0 .2em}';

/** The catalogue's text is the service's own; escaped all the same, with `code` spans as code. */
const text = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/`([^`]+)`/g, '<code>$1</code>');

const page = (title: string, body: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${text(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>\n`;

/** The page a problem's `type` URI resolves to: what the problem means and what to do about it. */
export function problemPage(kind: ProblemKind): string {
  const { status, title, meaning, whatToDo } = PROBLEM_TYPES[kind];
  return page(
    `${title} (${status})`,
    `<h1>${text(title)}</h1><p>HTTP status ${status}. Problem type <code>${kind}</code> of the referral coordination service.</p>` +
      `<h2>What it means</h2><p>${text(meaning)}</p><h2>What to do</h2><p>${text(whatToDo)}</p>` +
      `<p>Error answers are <code>application/problem+json</code> (RFC 9457): <code>detail</code> says what went wrong with this request. ` +
      `<a href="../problems">Every problem type</a>.</p>`,
  );
}

/** The list of every problem type, each linked to its page. */
export function problemIndex(): string {
  const items = PROBLEM_KINDS.map(
    (kind) => `<li><a href="problems/${kind}">${text(PROBLEM_TYPES[kind].title)}</a> (${PROBLEM_TYPES[kind].status})</li>`,
  );
  return page(
    'Problem types',
    `<h1>Problem types</h1><p>The kinds of error answer the referral coordination service gives.</p><ul>${items.join('')}</ul>`,
  );
}
