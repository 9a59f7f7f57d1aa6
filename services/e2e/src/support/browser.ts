import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import {
  type ApiDriver,
  type Stack,
  type TestContext,
  startServices,
  stopServices,
} from '@bulkops/testing';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing): the `chromium`
 * on PATH, which is exactly what .ci/run checks, else Debian's own path.
 */
export const CHROMIUM = chromiumOnPath() ?? '/usr/bin/chromium';

function chromiumOnPath(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

/** Where browser tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'dashboard');

/** Headless Chromium as the tests drive it: no sandbox (root in CI), no GPU, no network of its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot named after the test step; answers its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens the dashboard in `page`, signs in with `token`, and waits for the Jobs page. */
export async function signInToDashboard(
  page: Page,
  gatewayUrl: string,
  token: string,
): Promise<Page> {
  await page.goto(`${gatewayUrl}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
  return page;
}

/** The built services and one headless Chromium for a browser spec's `describe` block. */
export interface BrowserSuite {
  readonly context: TestContext;
  readonly stack: Stack;
  readonly api: ApiDriver;
  /** A page in a fresh browser context (1280 × 860 unless told), closed after the test. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the suite's hooks (start the services and the browser; close each test's contexts;
 * stop everything) and answers the suite, whose fields are set once `beforeAll` has run.
 */
export function useBrowserSuite(): BrowserSuite {
  const running = {} as { context: TestContext; stack: Stack; api: ApiDriver };
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    Object.assign(running, await startServices());
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await stopServices(running);
  });

  return {
    get context() {
      return running.context;
    },
    get stack() {
      return running.stack;
    },
    get api() {
      return running.api;
    },
    async newPage(options = {}) {
      const browserContext = await browser!.newContext({
        viewport: { width: 1280, height: 860 },
        ...options,
      });
      contexts.push(browserContext);
      return browserContext.newPage();
    },
  };
}
