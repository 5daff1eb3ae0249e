import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../../../src/api/web-app.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const hasWebApp = fs.existsSync(path.join(defaultWebDir, 'index.html'));

describe('security headers on every response; text is compressed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  const expectSecurityHeaders = (h: Headers, what: string) => {
    expect(h.get('x-content-type-options'), what).toBe('nosniff');
    expect(h.get('x-frame-options'), what).toBe('DENY');
    expect(h.get('referrer-policy'), what).toBe('no-referrer');
    const csp = h.get('content-security-policy') ?? '';
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("script-src 'self'");
    expect(csp, what).not.toMatch(/script-src[^;]*unsafe-inline/);
  };

  it('API answers, errors, 404s, health and the web app all carry them', async () => {
    for (const [method, url, token] of [
      ['GET', '/health', null],
      ['GET', '/api/libraries', t.admin.accessToken],
      ['GET', '/api/libraries', null],
      ['GET', '/api/no-such-route', null],
      ['POST', '/api/auth/login', null],
      ['GET', '/', null],
      ['GET', '/some/client/route', null],
    ] as const) {
      const res = await fetch(t.baseUrl + url, {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      await res.arrayBuffer();
      expectSecurityHeaders(res.headers, `${method} ${url} (${res.status})`);
    }
  });

  it('JSON is compressed for clients that accept it, and decodes to the same body', async () => {
    // Enough libraries' worth of JSON to pass the 1 KiB threshold: the OpenAPI document.
    const plain = await fetch(`${t.baseUrl}/api/docs/json`, { headers: { 'accept-encoding': 'identity' } });
    const plainText = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    const res = await fetch(`${t.baseUrl}/api/docs/json`, { headers: { 'accept-encoding': 'gzip' } });
    // fetch decodes transparently; read the raw encoding from the header.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe(plainText);
    expectSecurityHeaders(res.headers, 'compressed JSON');
    expect(zlib.gzipSync(plainText).length).toBeLessThan(plainText.length / 2);
  });

  it.skipIf(!hasWebApp)(
    'the built web app has no inline script, and its JS and CSS are compressed',
    async () => {
      const html = await (await fetch(`${t.baseUrl}/`)).text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="\/assets\//);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+="/i);
      for (const asset of [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
        (m) => m[1]!,
      )) {
        const res = await fetch(t.baseUrl + asset, { headers: { 'accept-encoding': 'br, gzip' } });
        await res.arrayBuffer();
        expect(res.status, asset).toBe(200);
        expect(res.headers.get('content-encoding'), asset).toMatch(/^(br|gzip)$/);
        expectSecurityHeaders(res.headers, asset);
      }
    },
  );
});
if (!hasWebApp)
  console.info('headers.test: web app not built (npm run build) — the web-app checks are skipped');
