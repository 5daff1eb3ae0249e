import path from 'node:path';
import { build } from 'vite';

/** Vitest global setup of the browser tests: build the web app from the current sources. */
export default async function buildWeb(): Promise<void> {
  await build({
    configFile: path.resolve(import.meta.dirname, '../../web/vite.config.ts'),
    logLevel: 'warn',
  });
}
