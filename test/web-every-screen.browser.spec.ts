import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { SCREENS, type ScreenRoute, pathOf } from '../web/src/routes.js';
import { browserStorage, screenshot, useBrowser, useBuiltScreens } from './support/browser.js';
import { axeViolations, emptyTables, hasFocus, pageLanguage, pageWidth, screenSettled } from './support/screen-checks.js';
import { openCase, posted, referredCase } from './support/case-steps.js';
import { useTestApp } from './support/test-app.js';

/**
 * Every screen of web/src/routes.ts (so a screen added there is walked too), in English and in
 * French, opened by a user of a role it is for, with data enough that no table is empty: axe-core
 * finds no violation of moderate impact or more, nothing scrolls sideways on a 360 px wide phone, and a
 * screenshot of each is left for CI. Plus the keyboard, the stored language and the first screen's weight.
 */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const LANGUAGES = { en: 'English', fr: 'Français' } as const;
type Language = keyof typeof LANGUAGES;
const NAME = 'Amina Everyscreen Kolo';
const WIDTH = 360;
const FIRST_SCREEN_BUDGET = 250 * 1024;

/** A demo user of each role (src/identity/demo-network.ts). */
const USER_OF_ROLE: Readonly<Record<string, string>> = {
  frontline_worker: 'frontline.social',
  caseworker: 'caseworker.social',
  supervisor: 'supervisor.social',
  agency_admin: 'admin.social',
  network_coordinator: 'coordinator.justice',
  auditor: 'auditor.justice',
};
/** Screens read by the receiving agency: its user sees the walk's referral in them. */
const USER_OF_SCREEN: Readonly<Record<string, string>> = {
  'incoming-referrals': 'caseworker.shelter',
  referral: 'caseworker.shelter',
};
const userFor = (screen: ScreenRoute): string => {
  const user = USER_OF_SCREEN[screen.name] ?? USER_OF_ROLE[screen.roles[0]!];
  if (!user) throw new Error(`no demo user for the screen ${screen.name} (roles ${screen.roles.join(', ')})`);
  return user;
};

interface Checked {
  screen: string;
  language: Language;
  serious: number;
  moderate: number;
  minor: number;
  scrollWidth: number;
}

describe('every screen, in English and in French', () => {
  const built = useBuiltScreens();
  const t = useTestApp({ settings: () => ({ WEB_DIR: built.dir, SIGN_INS_PER_MINUTE: '1000' }) });
  const browser = useBrowser();
  const checked: Checked[] = [];
  let baseUrl = '';
  /** The values of the screens' varying address parts: a case referred to the shelter, its consent and referral. */
  let params: Record<string, string> = {};

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
    const referred = await referredCase(t, await t.agencyId('Shelter'), {
      person: { identity: { fullName: NAME } },
      categories: ['identity', 'safety'],
    });
    await posted(t, 201, `/cases/${referred.caseId}/safety-assessments`, { riskLevel: 'medium', plan: 'Check-ins by phone' });
    await posted(t, 200, `/cases/${await openCase(t)}/interruption`, { reason: 'lost_contact' });
    params = { ...referred };
  });

  afterAll(() => {
    const lines = checked.map(
      (c) =>
        `${c.screen.padEnd(20)} ${c.language}  serious/critical ${c.serious}  moderate ${c.moderate}  minor ${c.minor}  width ${c.scrollWidth}px`,
    );
    console.log(`Screens checked with axe-core at ${WIDTH} px wide:\n${lines.join('\n')}`);
  });

  /** The sign-in screen in `language`, chosen with its language switcher as a user does. */
  const signInScreen = async (language: Language) => {
    // The page allows its own scripts only; axe-core is the test's, added past that policy.
    const page = await (await browser.context({ bypassCSP: true })).newPage();
    await page.goto(baseUrl);
    await page.getByRole('button', { name: LANGUAGES[language] }).click();
    await page.locator('html[lang="' + language + '"]').waitFor({ state: 'attached' });
    return page;
  };
  const signIn = async (page: Page, username: string) => {
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(t.password);
    await page.locator('#password').press('Enter');
    await page.locator('header nav').waitFor();
  };

  /** Waits until the screen has loaded what it shows (no loading notice, agency names and previews in). */
  const settled = (page: Page) => page.waitForFunction(screenSettled);

  /** Runs axe-core, checks the width, leaves a screenshot; fails on a violation of moderate impact or more. */
  const check = async (page: Page, screen: string, language: Language) => {
    await settled(page);
    await expect(page.evaluate(pageLanguage)).resolves.toBe(language);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(axeViolations);
    const scrollWidth = await page.evaluate(pageWidth);
    await screenshot(page, `${screen}-${language}`);
    const count = (...impacts: string[]) => violations.filter((v) => impacts.includes(v.impact)).length;
    checked.push({
      screen,
      language,
      serious: count('serious', 'critical'),
      moderate: count('moderate'),
      minor: count('minor'),
      scrollWidth,
    });
    const refused = violations.filter((v) => v.impact !== 'minor');
    expect(refused.map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`)).toEqual([]);
    expect(scrollWidth).toBeLessThanOrEqual(WIDTH);
  };

  for (const language of Object.keys(LANGUAGES) as Language[]) {
    it(`sign-in in ${LANGUAGES[language]}: accessible, nothing sideways at ${WIDTH} px`, async () => {
      const page = await signInScreen(language);
      await check(page, 'sign-in', language);
    });

    for (const screen of SCREENS) {
      it(`${screen.name} in ${LANGUAGES[language]}: accessible, nothing sideways at ${WIDTH} px, no empty table`, async () => {
        const page = await signInScreen(language);
        await signIn(page, userFor(screen));
        await page.goto(`${baseUrl}#${pathOf(screen, params)}`);
        await settled(page);
        await expect(page.evaluate(emptyTables)).resolves.toBe(0);
        await check(page, screen.name, language);
      });
    }
  }

  it('the case page reads in French: headings, statuses and dates in French, the API’s own values untouched', async () => {
    const page = await signInScreen('fr');
    await signIn(page, 'caseworker.social');
    await page.goto(`${baseUrl}#/cases/${params.caseId}`);
    await page.getByRole('heading', { name: 'Consentements' }).waitFor();
    const main = await page.locator('main').innerText();
    expect(main).toContain('Orientations');
    expect(main).toContain('En attente de réponse');
    expect(main).toMatch(/Consentement donné le \d{1,2} [a-zéû]+\.? \d{4}/);
    expect(main).toContain(NAME);
    expect(main).not.toMatch(/victime/i);
  });

  it('a caseworker signs in, opens a case and sees its referral with the keyboard only', async () => {
    const page = await (await browser.context()).newPage();
    await page.goto(baseUrl);
    await tabTo(page, '#username');
    await page.keyboard.type('caseworker.social');
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.password);
    await page.keyboard.press('Enter');
    await tabTo(page, `a[href="#/cases/${params.caseId}"]`);
    await page.keyboard.press('Enter');
    const referrals = page.getByRole('region', { name: 'Referrals' });
    await referrals.getByRole('row').nth(1).waitFor();
    await expect(referrals.innerText()).resolves.toContain('Waiting for an answer');
  });

  it('the receiving agency reaches a referral and accepts it with the keyboard only', async () => {
    const { caseId, referralId } = await referredCase(t, await t.agencyId('Shelter'));
    const page = await (await browser.context()).newPage();
    await page.goto(baseUrl);
    await tabTo(page, '#username');
    await page.keyboard.type('caseworker.shelter');
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.password);
    await page.keyboard.press('Enter');
    await tabTo(page, 'header a[href="#/referrals"]');
    await page.keyboard.press('Enter');
    await tabTo(page, `a[href="#/referrals/${caseId}/${referralId}"]`);
    await page.keyboard.press('Enter');
    await tabTo(page, 'button:text-is("Accept")');
    await page.keyboard.press('Enter');
    await page.locator('.facts').getByText('Accepted').waitFor();
  });

  it('a screen opened by a role it is not for says so, and the navigation does not offer it', async () => {
    const page = await signInScreen('en');
    await signIn(page, 'frontline.social');
    await page.goto(`${baseUrl}#/cases/${params.caseId}`);
    await page.getByText('This screen is not available to your role.').waitFor();
    await expect(page.locator('header nav').innerText()).resolves.not.toContain('My cases');
    await expect(page.content()).resolves.not.toContain(NAME);
  });

  it('the chosen language is remembered after a reload, and it is all the browser keeps', async () => {
    const page = await signInScreen('fr');
    await signIn(page, 'caseworker.shelter');
    await page.goto(`${baseUrl}#/referrals/${params.caseId}/${params.referralId}`);
    await page.locator('li[data-category="identity"]').getByText(NAME).waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await expect(page.evaluate(pageLanguage)).resolves.toBe('fr');

    const stored = JSON.parse(await browserStorage(page));
    expect(stored).toEqual({ localStorage: ['language=fr'], sessionStorage: [], indexedDB: [], cacheStorage: [], serviceWorkers: [] });
  });

  it(`the first screen loads at most ${FIRST_SCREEN_BUDGET / 1024} KB of compressed JavaScript`, async () => {
    const html = await readFile(join(built.dir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g)].map(
      (m) => m[1]!,
    );
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const script of scripts) gzipped += gzipSync(await readFile(join(built.dir, script))).length;
    console.log(`First screen's JavaScript: ${scripts.join(', ')}, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET);
  });
});

/** Presses Tab until the element `selector` names has the focus, as a keyboard user moves through a screen. */
async function tabTo(page: Page, selector: string, most = 60): Promise<void> {
  const target = page.locator(selector).first();
  await target.waitFor();
  for (let presses = 0; presses < most; presses++) {
    if (await target.evaluate(hasFocus)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached with ${most} presses of Tab`);
}
