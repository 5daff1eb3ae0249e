import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (apt package `chromium`, installed by .ci/run); a browser is never downloaded. */
export const chromiumPath = '/usr/bin/chromium';

export const chromiumMissingReason = fs.existsSync(chromiumPath)
  ? null
  : `${chromiumPath} not found: install the Debian package (apt-get install chromium) to run the browser tests`;

export interface BrowserSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, removed on close. */
export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'photosync-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
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
  return {
    context,
    async close() {
      await context.close();
      await fsp.rm(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots of the browser tests and benchmarks go to the ignored artifacts/ folder. */
export const artifactsDir = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
