import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFreshServer, type FreshServer } from '../support/web-server.js';

/** The built SPA is served same-origin by the real server, with the caching a deploy needs. */
describe('web app served by the API server', () => {
  let server: FreshServer;
  beforeAll(async () => {
    server = await startFreshServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('serves index.html uncached at / and for client routes', async () => {
    for (const route of ['/', '/triage', '/duplicates/3f1c2a4e-0000-4000-8000-000000000000?sort=space']) {
      const res = await fetch(server.baseUrl + route);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root"></div>');
    }
  });

  it('serves content-hashed assets as immutable', async () => {
    const html = await (await fetch(server.baseUrl + '/')).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const res = await fetch(server.baseUrl + script!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('cache-control')).toContain('max-age=31536000');
  });

  it('keeps API 404s as problem+json instead of falling back to the app', async () => {
    const res = await fetch(server.baseUrl + '/api/no-such-route');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const missingAsset = await fetch(server.baseUrl + '/assets/missing-file.js');
    expect(missingAsset.headers.get('content-type')).toContain('text/html');
    const health = await fetch(server.baseUrl + '/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toContain('json');
  });

  it('does not serve files outside the build folder', async () => {
    const res = await fetch(server.baseUrl + '/..%2f..%2fpackage.json');
    expect(await res.text()).not.toContain('"dependencies"');
  });
});
