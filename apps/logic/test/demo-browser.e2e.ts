import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Embedded, launchChromium, startEmbedded, testOutputDir } from '@imgate/testing';

/** Opens the demo, as a person would: type a name and user id, pick the room, press Join. */
async function openDemo(browser: Browser, base: string, name: string, mid: number, room: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  // Chat lines go up the page's own connection (op 4): the page never calls the push API.
  page.on('request', (req) => {
    if (/\/(goim|v1)\/push\//.test(req.url())) errors.push(`${name} called the push API: ${req.method()} ${req.url()}`);
  });
  page.on('pageerror', (err) => errors.push(`${name}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${name} console: ${msg.text()}`);
  });
  await page.goto(`${base}/demo/`);
  await page.fill('#name', name);
  await page.fill('#mid', String(mid));
  await page.fill('#room', room);
  await page.click('#join-button');
  await page.locator('#status', { hasText: 'connected to ws://' }).waitFor({ timeout: 15_000 });
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.click('#send');
}

const seen = (page: Page, list: string, text: string) => page.locator(`#${list} li`, { hasText: text }).waitFor({ timeout: 15_000 });

describe('demo chat in headless Chromium, served by the embedded default', () => {
  let embedded: Embedded;
  let browser: Browser;
  before(async () => {
    embedded = await startEmbedded('demo');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await embedded?.stop();
  });

  it('two users join one room, each sees the other’s message (op 4 → upstream → the chat sample → room push) and a count of 2, and one gets a push sent with curl', async () => {
    const errors: string[] = [];
    const alice = await openDemo(browser, embedded.logicUrl, 'alice', 4101, 'lobby', errors);
    const bob = await openDemo(browser, embedded.logicUrl, 'bob', 4102, 'lobby', errors);

    for (const page of [alice, bob]) {
      // A string: the root build has no DOM types, and this runs in the page.
      await page.waitForFunction("document.querySelector('#online-count')?.textContent === '2'", undefined, { timeout: 15_000 });
    }
    await say(alice, 'hello from alice');
    await say(bob, 'hi alice, bob here');
    for (const page of [alice, bob]) {
      await seen(page, 'messages', 'hello from alice');
      await seen(page, 'messages', 'hi alice, bob here');
    }
    assert.equal(await alice.locator('#messages li.mine', { hasText: 'hello from alice' }).count(), 1, 'alice sees her own line as hers');

    const answer = execFileSync('curl', ['-sS', '-X', 'POST', `${embedded.logicUrl}/goim/push/mids?operation=1001&mids=4102`, '-d', 'a direct push for bob'], { encoding: 'utf8' });
    const pushed = JSON.parse(answer) as { data: { id: string } };
    assert.match(pushed.data.id, /^[1-9]\d*$/);
    assert.deepEqual(pushed, { code: 0, message: '', data: { records: 1, offline: [], id: pushed.data.id } });
    await seen(bob, 'pushes', 'op 1001: a direct push for bob');
    assert.equal(await alice.locator('#pushes li').count(), 0, 'the push was for bob only');
    assert.equal(await alice.locator('#online-count').textContent(), '2');

    // A reload shows the room's recent history (reliable delivery, the room stream's latest messages).
    await bob.close();
    const again = await openDemo(browser, embedded.logicUrl, 'bob', 4102, 'lobby', errors);
    await seen(again, 'messages', 'hello from alice');
    await seen(again, 'messages', 'hi alice, bob here');
    assert.equal(await again.locator('#messages li', { hasText: 'hello from alice' }).count(), 1, 'each line once');

    const dir = testOutputDir('demo');
    await alice.screenshot({ path: join(dir, 'alice.png'), fullPage: true });
    await again.screenshot({ path: join(dir, 'bob-reloaded.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('serves only the demo’s files: /demo redirects to /demo/, nothing outside it, nothing hidden', async () => {
    const get = (path: string) => fetch(`${embedded.logicUrl}${path}`, { redirect: 'manual' });
    const root = await get('/demo');
    assert.equal(root.status, 301);
    assert.equal(root.headers.get('location'), '/demo/');
    const sdk = await get('/demo/sdk/index.js');
    assert.equal(sdk.status, 200);
    assert.equal(sdk.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(await sdk.text(), /export \{[^}]*\bImgateClient\b[^}]*\}/);
    for (const path of ['/demo/..%2f..%2fpackage.json', '/demo/sdk%2f..%2f..%2f..%2fpackage.json', '/demo/..%5c..%5cpackage.json', '/demo/.hidden', '/demo/sdk/node.js', '/demo/nope.html']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
    }
  });
});
