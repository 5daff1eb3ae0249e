import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { configProblems } from '../support/config-problems.js';

const problemsOf = configProblems;

describe('insight configuration', () => {
  it('defaults to a 2 s version and burst window and the documented edit patterns', () => {
    const c = loadConfig({});
    expect(c.insights.versions.captureWindowMs).toBe(2000);
    expect(c.insights.bursts.maxGapMs).toBe(2000);
    expect(c.insights.versions.editPatterns.map((p) => p.source)).toContain('^(IMG_)E(\\d+)$');
    expect(c.insights.versions.primaryOrder[0]).toBe('jpeg');
  });

  it('reads windows, patterns, primary order and place radius from the environment', () => {
    const c = loadConfig({
      VERSION_CAPTURE_WINDOW_SECONDS: '5',
      BURST_WINDOW_SECONDS: '0.5',
      VERSION_EDIT_PATTERNS: '["^(.+)_bearbeitet$"]',
      VERSION_PRIMARY_ORDER: 'raw, jpeg',
      PLACE_RADIUS_KM: '10',
    });
    expect(c.insights.versions.captureWindowMs).toBe(5000);
    expect(c.insights.bursts.maxGapMs).toBe(500);
    expect(c.insights.versions.editPatterns.map((p) => p.source)).toEqual(['^(.+)_bearbeitet$']);
    expect(c.insights.versions.primaryOrder).toEqual(['raw', 'jpeg']);
    expect(c.insights.places.epsKm).toBe(10);
  });

  it('names a bad pattern list or window', () => {
    expect(problemsOf({ VERSION_EDIT_PATTERNS: 'IMG_E*' })).toEqual([
      expect.stringContaining('VERSION_EDIT_PATTERNS: must be a JSON array of regular-expression strings'),
    ]);
    expect(problemsOf({ VERSION_EDIT_PATTERNS: '["(unclosed"]' })).toEqual([
      expect.stringContaining('VERSION_EDIT_PATTERNS'),
    ]);
    expect(problemsOf({ BURST_WINDOW_SECONDS: '-1' })).toEqual([
      expect.stringContaining('BURST_WINDOW_SECONDS'),
    ]);
  });
});
