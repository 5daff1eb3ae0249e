import { describe, expect, it } from 'vitest';
import { coalesced } from '../../src/db/data-version.js';

/** A version source whose queries the test finishes by hand, numbered in the order they start. */
function manualSource() {
  const pending: ((v: string) => void)[] = [];
  return {
    read: () =>
      new Promise<string>((resolve) => {
        pending.push(resolve);
      }),
    started: () => pending.length,
    finish: (i: number) => {
      pending[i]!(`v${i}`);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('coalesced data version', () => {
  it('gives callers who asked during a running query the next query, never the running one', async () => {
    const source = manualSource();
    const version = coalesced(source.read);
    const first = version();
    const second = version();
    const third = version();
    expect(source.started()).toBe(1);

    source.finish(0);
    expect(await first).toBe('v0');
    await tick();
    // The two who asked while query 0 ran share query 1, started after it.
    expect(source.started()).toBe(2);
    source.finish(1);
    expect(await second).toBe('v1');
    expect(await third).toBe('v1');

    // Idle again: the next caller starts its own query.
    const fourth = version();
    expect(source.started()).toBe(3);
    source.finish(2);
    expect(await fourth).toBe('v2');
  });

  it('passes a failed query on to its callers and recovers with the next', async () => {
    let calls = 0;
    const version = coalesced(() =>
      ++calls === 1 ? Promise.reject(new Error('connection lost')) : Promise.resolve(`v${calls}`),
    );
    await expect(version()).rejects.toThrow('connection lost');
    expect(await version()).toBe('v2');
  });
});
