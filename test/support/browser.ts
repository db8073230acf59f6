import { afterAll, beforeAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { readBrowserStorage } from './browser-storage.js';
import { useTestApp } from './test-app.js';

/** Debian's Chromium (`.ci/run` installs it when absent), driven by playwright-core: a real browser, no bundled build. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Builds the screens from web/ into a fresh folder before the describe's tests (the service serves
 * it as WEB_DIR) and removes it after: the tests see what `npm run build` ships, from the current source.
 */
export function useBuiltScreens(): { readonly dir: string } {
  const built = { dir: '' };
  beforeAll(async () => {
    built.dir = await mkdtemp(join(tmpdir(), 'web-build-'));
    await promisify(execFile)(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--outDir', built.dir, '--logLevel', 'error'],
      { cwd: process.cwd() },
    );
  }, 180_000);
  afterAll(async () => {
    if (built.dir) await rm(built.dir, { recursive: true, force: true });
  });
  return built;
}

/** One Chromium for the describe's tests, each test in its own fresh context (its own storage, as another device would be). */
export function useBrowser(): { context(options?: BrowserContextOptions): Promise<BrowserContext> } {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  // Playwright starts every launch on a fresh --user-data-dir of its own and removes it on close.
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await browser?.close();
  });
  return {
    async context(options = {}) {
      const context = await browser!.newContext({ viewport: { width: 360, height: 740 }, ...options });
      contexts.push(context);
      return context;
    },
  };
}

/** Opens the screens at `baseUrl` and signs in as a user does: the form, the keyboard's Enter. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Everything the page's origin keeps in browser storage, as text: localStorage, sessionStorage, IndexedDB and Cache Storage. */
export const browserStorage = (page: Page): Promise<string> => page.evaluate(readBrowserStorage);

/** Where the browser tests leave a picture of each main screen (`.ci/run` prints the path). */
export const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR ?? join(tmpdir(), 'referral-screenshots');

/** A full-page picture of the screen as the test left it, named for the screen (and language, when it matters). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * The service on PGlite serving freshly built screens on a port of its own, a Chromium, and users
 * signed in each on a device of their own (a fresh context): what every browser spec of the
 * screens starts from. `baseUrl` is known once the describe's beforeAll has run.
 */
export function useServedScreens() {
  const built = useBuiltScreens();
  const t = useTestApp({ settings: () => ({ WEB_DIR: built.dir, SIGN_INS_PER_MINUTE: '1000' }) });
  const browser = useBrowser();
  let baseUrl = '';
  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
  });
  const page = async () => (await browser.context()).newPage();
  return {
    t,
    get baseUrl() {
      return baseUrl;
    },
    page,
    signedIn: async (username: string) => {
      const signedInPage = await page();
      await signIn(signedInPage, baseUrl, username, t.password);
      return signedInPage;
    },
  };
}
