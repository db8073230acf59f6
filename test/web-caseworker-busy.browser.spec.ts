import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
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
    await signIn(page, baseUrl, 'caseworker.social', t.password);
    const openCase = async () => {
      await page.goto(`${baseUrl}#/cases/new`);
      await page.getByRole('button', { name: 'Open the case' }).click();
    };
    await openCase();
    await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/);

    await openCase();
    await page
      .getByRole('status')
      .getByText(/The service is busy: waiting \d+ seconds, then sending again/)
      .waitFor();
    await screenshot(page, 'caseworker-busy');
    // The wait is the rest of the service's minute: bounded by it, not by this test.
    await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    expect((await allEvents(t.store)).filter((e) => e.type === 'CaseOpened')).toHaveLength(2);
    // Up to a minute of waiting is what this test is about: beyond jest's usual 60 s.
  }, 180_000);
});
