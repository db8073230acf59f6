import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { Clock } from '../src/platform/clock.js';
import { screenshot, signIn, useBrowser, useBuiltScreens } from './support/browser.js';
import { allEvents, useTestApp } from './support/test-app.js';

/**
 * The caseworker's screens when the service is busy: a service allowing one write a minute per user
 * (WRITES_PER_MINUTE) answers the second 429 with Retry-After; the screen waits as told, says so,
 * and sends the same write again, which then opens the case once.
 */
describe('the caseworker’s screens when the service asks to wait', () => {
  const built = useBuiltScreens();
  const t = useTestApp({ settings: () => ({ WEB_DIR: built.dir, SIGN_INS_PER_MINUTE: '1000', WRITES_PER_MINUTE: '1' }) });
  const browser = useBrowser();
  let baseUrl = '';

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
  });

  it('a write refused with 429 is waited out, said so on the screen, and sent again once', async () => {
    const page = await (await browser.context()).newPage();
    // The service's minute and the screen's wait are moved on by the test, not waited out: the
    // browser's timers by Playwright's clock, the service's limit by the application's one clock.
    await page.clock.install();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on the prototype
    const realNow = Clock.prototype.now;
    try {
      await signIn(page, baseUrl, 'caseworker.social', t.password);
      const openCase = async () => {
        await page.goto(`${baseUrl}#/cases/new`);
        await page.getByRole('button', { name: 'Open the case' }).click();
      };
      await openCase();
      await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/);

      await openCase();
      const busy = page.getByRole('status').getByText(/The service is busy: waiting \d+ seconds, then sending again/);
      await busy.waitFor();
      await screenshot(page, 'caseworker-busy');
      const seconds = Number(/waiting (\d+) seconds/.exec(await busy.innerText())![1]);
      // The wait is the rest of the service's minute; so far only the first write has opened a case.
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      expect((await allEvents(t.store)).filter((e) => e.type === 'CaseOpened')).toHaveLength(1);

      Clock.prototype.now = () => new Date(Date.now() + (seconds + 1) * 1000).toISOString();
      await page.clock.fastForward(seconds * 1000);
      await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/);
      expect((await allEvents(t.store)).filter((e) => e.type === 'CaseOpened')).toHaveLength(2);
    } finally {
      Clock.prototype.now = realNow;
    }
  });
});
