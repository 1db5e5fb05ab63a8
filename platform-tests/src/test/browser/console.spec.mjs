// The web console in a real browser: headless Chromium (the system package, driven by playwright-core)
// against a running platform. Started by ConsoleBrowserPlatformTests; exits 0 when every step passed.
//
// Env: CONSOLE_URL (the gateway's /), CHROMIUM (the browser binary), PRODUCT_NAME (a product an admin
// created beforehand), SCREENSHOT (where the picture of the paid order goes), STEP_TIMEOUT_MS (optional).
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';

const consoleUrl = required('CONSOLE_URL');
const executablePath = required('CHROMIUM');
const productName = required('PRODUCT_NAME');
const screenshot = required('SCREENSHOT');
const stepTimeout = Number(process.env.STEP_TIMEOUT_MS || 15000);
const paidTimeout = Number(process.env.PAID_TIMEOUT_MS || 60000);
const gatewayOrigin = new URL(consoleUrl).origin;
const disallowedOrigin = 'http://evil.example';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`console.spec: the environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

let stepNumber = 0;
async function step(title, body) {
  stepNumber += 1;
  const started = Date.now();
  console.log(`[browser] step ${stepNumber}: ${title}`);
  await body();
  console.log(`[browser] step ${stepNumber}: ok (${Date.now() - started} ms)`);
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const tid = (id) => `[data-testid="${id}"]`;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const pageErrors = [];
let otherOrigin;
let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  context.setDefaultTimeout(stepTimeout);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    pageErrors.push(error.message);
    console.log(`[browser] page error: ${error.message}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      console.log(`[browser] ${response.request().method()} ${response.url()} answered ${response.status()}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      console.log(`[browser] console ${message.type()}: ${message.text()}`);
    }
  });

  await step(`open the console at ${consoleUrl}`, async () => {
    const response = await page.goto(consoleUrl);
    check(response && response.status() === 200, `GET ${consoleUrl} answered ${response && response.status()}`);
    await page.locator(tid('register-form')).waitFor({ state: 'visible' });
    check(await page.locator(tid('shop')).isHidden(), 'the shop is shown before anyone signed in');
  });

  await step('a registration with a malformed email shows the service\'s structured error', async () => {
    await page.locator(tid('register-name')).fill('Bruno Browser');
    await page.locator(tid('register-email')).fill('not-an-email');
    await page.locator(tid('register-password')).fill(`browser-password-${randomUUID()}`);
    await page.locator(tid('register-submit')).click();
    const alert = page.locator(tid('error-alert'));
    await alert.waitFor({ state: 'visible' });
    const shown = (await alert.innerText()).trim();
    check(shown.length > 0 && !shown.includes('[object Object]'), `the error shown is unreadable: "${shown}"`);
    const fieldError = (await page.locator('#register-email-error').innerText()).trim();
    check(fieldError.length > 0, 'the email field does not show its violation');
    console.log(`[browser]   shown: "${shown.replace(/\s+/g, ' ')}"; next to the email: "${fieldError}"`);
    check(await page.locator(tid('shop')).isHidden(), 'a refused registration signed someone in');
  });

  const email = `browser-${randomUUID()}@example.com`;
  await step(`register ${email}`, async () => {
    await page.locator(tid('register-name')).fill('Bruno Browser');
    await page.locator(tid('register-email')).fill(email);
    await page.locator(tid('register-password')).fill(`browser-password-${randomUUID()}`);
    await page.locator(tid('register-submit')).click();
    // Registering signs the new customer in: the shop replaces the forms.
    await page.locator(tid('shop')).waitFor({ state: 'visible' });
    await page.locator(tid('session-user')).filter({ hasText: 'Signed in' }).waitFor();
    check(await page.locator(tid('auth-panel')).isHidden(), 'the sign-in forms are still shown after registering');
    check(await page.locator(tid('admin-panel')).isHidden(), 'a new customer sees the admin panel');
  });

  const product = page.locator(tid('product-item')).filter({
    has: page.locator(tid('product-name'), { hasText: productName }),
  });
  await step(`find the product "${productName}"`, async () => {
    await page.locator(tid('product-item')).first().waitFor();
    await page.locator(tid('product-search')).fill(productName);
    // The first listing may show the same product: wait for the search's own answer and its rendering,
    // or the list re-renders under the next step's typing (and its quantity is lost).
    const searched = page.waitForResponse((response) => response.url().includes('/api/v1/products?')
      && new URL(response.url()).searchParams.get('query') === productName);
    await page.locator(tid('product-search-submit')).click();
    check((await searched).status() === 200, 'the product search failed');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await product.waitFor();
    check(await product.count() === 1, `expected one product named "${productName}", found ${await product.count()}`);
    console.log(`[browser]   listed: ${(await product.innerText()).replaceAll('\n', ' | ')}`);
  });

  await step('put 2 of it in the order and pay by card', async () => {
    await product.locator(tid('order-quantity')).fill('2');
    await product.locator(tid('product-add')).click();
    await page.locator(tid('cart-item')).filter({ hasText: `2 × ${productName}` }).waitFor();
    await page.locator(tid('order-payment-method')).selectOption('card');
    await page.locator(tid('order-submit')).click();
    await page.locator(tid('status-message')).filter({ hasText: 'Order placed' }).waitFor();
    await page.locator(tid('order-item')).first().waitFor();
    check(await page.locator(tid('error-alert')).innerText() === '',
      `the console shows an error: ${await page.locator(tid('error-alert')).innerText()}`);
  });

  await step('see the order become PAID in the order list', async () => {
    const paid = page.locator(`${tid('order-item')}[data-status="PAID"]`);
    const deadline = Date.now() + paidTimeout;
    let live = true;
    // The activity stream updates the list live; a refresh now and then covers a stream that is late.
    while (!(await paid.count())) {
      check(Date.now() < deadline, `no PAID order within ${paidTimeout} ms; the list shows: `
        + (await page.locator(tid('order-list')).innerText()).replaceAll('\n', ' | '));
      try {
        await paid.first().waitFor({ timeout: 5000 });
      } catch {
        live = false;
        console.log('[browser]   not paid yet, refreshing the order list');
        await page.locator(tid('order-refresh')).click();
      }
    }
    check(await page.locator(tid('order-item')).count() === 1, 'the new customer should have exactly one order');
    const status = (await paid.locator(tid('order-status')).innerText()).trim();
    check(status.toLowerCase() === 'paid', `the status badge reads "${status}"`);
    console.log(`[browser]   order ${await paid.getAttribute('data-order-id')} is PAID (${live ? 'live' : 'after a refresh'}); `
      + `activity: ${await page.locator(tid('activity-status')).innerText()}`);
  });

  await step(`save a screenshot to ${screenshot}`, async () => {
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`[browser]   screenshot of the console after the paid order: ${screenshot}`);
  });

  await step('the console fits a phone-width screen (360 px) without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) {
      throw new Error(`the page is ${overflow} px wider than a 360 px screen`);
    }
    const phone = screenshot.replace(/\.png$/, '') + '-phone.png';
    await page.screenshot({ path: phone, fullPage: true });
    console.log(`[browser]   phone-width screenshot: ${phone}`);
  });

  await step(`a preflight from ${disallowedOrigin} is refused`, async () => {
    const response = await fetch(new URL('/api/v1/orders', gatewayOrigin), {
      method: 'OPTIONS',
      headers: {
        Origin: disallowedOrigin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    const allowOrigin = response.headers.get('access-control-allow-origin');
    console.log(`[browser]   OPTIONS /api/v1/orders from ${disallowedOrigin}: ${response.status}, `
      + `Access-Control-Allow-Origin: ${allowOrigin}`);
    check(response.status === 403, `expected 403, got ${response.status}`);
    check(allowOrigin === null, `expected no Access-Control-Allow-Origin, got ${allowOrigin}`);
  });

  await step('a page on another origin cannot call the gateway from the browser', async () => {
    otherOrigin = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Another site</title><p>Another site</p>');
    });
    await new Promise((resolve) => otherOrigin.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${otherOrigin.address().port}/`;
    const other = await context.newPage();
    await other.goto(otherUrl);
    const outcome = await other.evaluate(async (target) => {
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: 'someone@example.com', password: 'whatever-password' }),
        });
        return `answered ${response.status}`;
      } catch (error) {
        return `refused: ${error.name}: ${error.message}`;
      }
    }, new URL('/api/v1/auth/login', gatewayOrigin).href);
    console.log(`[browser]   fetch from ${otherUrl} to the gateway: ${outcome}`);
    check(outcome.startsWith('refused'), `the browser let ${otherUrl} call the gateway (${outcome})`);
    await other.close();
  });

  check(pageErrors.length === 0, `the console raised page errors: ${pageErrors.join('; ')}`);
  console.log('[browser] all steps passed');
} catch (error) {
  exitCode = 1;
  console.error(`[browser] FAILED at step ${stepNumber}: ${error.message}`);
  try {
    const pages = browser.contexts().flatMap((context) => context.pages());
    if (pages.length > 0) {
      const failure = screenshot.replace(/\.png$/, '') + '-failure.png';
      mkdirSync(dirname(failure), { recursive: true });
      await pages[0].screenshot({ path: failure, fullPage: true });
      console.error(`[browser] screenshot at the failure: ${failure}`);
    }
  } catch (screenshotError) {
    console.error(`[browser] no failure screenshot: ${screenshotError.message}`);
  }
} finally {
  if (otherOrigin) {
    otherOrigin.close();
  }
  await browser.close();
}
process.exit(exitCode);
