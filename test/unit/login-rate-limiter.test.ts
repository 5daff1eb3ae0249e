import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/services/auth/login-rate-limiter.js';

describe('login rate limiter', () => {
  it('blocks a key after max failures until the window ends, then forgets it', () => {
    let now = 0;
    const limiter = new LoginRateLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.blockedFor('k')).toBe(0);
      limiter.recordFailure('k');
    }
    expect(limiter.blockedFor('k')).toBe(60);
    expect(limiter.blockedFor('other')).toBe(0);
    now = 45_000;
    expect(limiter.blockedFor('k')).toBe(15);
    now = 60_001;
    expect(limiter.blockedFor('k')).toBe(0);
    limiter.recordFailure('k');
    expect(limiter.blockedFor('k')).toBe(0);
  });

  it('reset clears the count (a successful sign-in)', () => {
    const limiter = new LoginRateLimiter(2, 60_000, () => 0);
    limiter.recordFailure('k');
    limiter.reset('k');
    limiter.recordFailure('k');
    expect(limiter.blockedFor('k')).toBe(0);
  });
});
