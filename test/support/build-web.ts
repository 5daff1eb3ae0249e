import path from 'node:path';
import { build } from 'vite';
import { isStale, touch } from './fresh-build.js';

/**
 * What dist/web is built from: the web app, and the server sources it imports (src/domain, the
 * presenters' types).
 */
const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src'];
const stamp = 'dist/web/index.html';

/**
 * Vitest global setup of the browser tests: the web app built from the current sources. The build
 * `npm install` made (CI's) is used as it is unless a source is newer than it.
 */
export default async function buildWeb(): Promise<void> {
  if (!(await isStale(stamp, sources))) return;
  await build({
    configFile: path.resolve(import.meta.dirname, '../../web/vite.config.ts'),
    logLevel: 'warn',
  });
  await touch(stamp);
}
