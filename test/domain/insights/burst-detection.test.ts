import { describe, expect, it } from 'vitest';
import { DEFAULT_BURST_SETTINGS, detectBursts } from '../../../src/domain/insights/burst-detection.js';
import { NOW, at, goodQuality, subject } from './subjects.js';

const detect = (list: Parameters<typeof detectBursts>[0]) => detectBursts(list, DEFAULT_BURST_SETTINGS, NOW);

const frames = (
  n: number,
  opts: { stepSeconds?: number; folder?: string; sharpest?: number; model?: string } = {},
) =>
  Array.from({ length: n }, (_, i) =>
    subject(`${opts.folder ?? '/p/DCIM'}/IMG_${1000 + i}.JPG`, {
      captureLocal: at(i * (opts.stepSeconds ?? 0.3)),
      ...(opts.model ? { model: opts.model } : {}),
      quality: goodQuality({ laplacianVariance: i === opts.sharpest ? 400 : 150 + i }),
    }),
  );

describe('burst detection', () => {
  it('groups frames of one body taken 0.3 s apart (sub-second clock) and recommends the sharpest', () => {
    const result = detect(frames(5, { sharpest: 3 }));
    expect(result).toHaveLength(1);
    expect(result[0]?.frameIds).toHaveLength(5);
    expect(result[0]?.recommendedId).toBe('/p/DCIM/IMG_1003.JPG');
  });

  it('prefers a well-exposed frame over a slightly sharper but dark one', () => {
    const list = frames(3);
    const [a, b] = list;
    if (!a || !b) throw new Error('fixture');
    a.quality = goodQuality({ laplacianVariance: 320, meanLuminance: 8, clippedShadows: 0.6 });
    b.quality = goodQuality({ laplacianVariance: 300 });
    expect(detect(list)[0]?.recommendedId).toBe(b.id);
  });

  it('splits at a gap longer than the window and honours a configured window', () => {
    expect(detect(frames(4, { stepSeconds: 3 }))).toEqual([]);
    expect(detectBursts(frames(4, { stepSeconds: 3 }), { maxGapMs: 3500, minFrames: 2 }, NOW)).toHaveLength(
      1,
    );
  });

  it('keeps two bodies apart even when their frames interleave', () => {
    const a = frames(3, { model: 'EOS R6' });
    const b = frames(3, { model: 'X-T4', folder: '/p/DCIM' }).map((s, i) => ({
      ...s,
      id: `b${i}`,
      path: `/p/DCIM/DSCF_${i}.JPG`,
      captureLocal: at(i * 0.3 + 0.1),
    }));
    const result = detect([...a, ...b]);
    expect(result).toHaveLength(2);
    expect(result.map((r) => r.frameIds.length)).toEqual([3, 3]);
  });

  it('treats files with the same capture instant as one exposure (copies and versions are not frames)', () => {
    const copies = [
      subject('/p/IMG_1.JPG'),
      subject('/p/IMG_1-edit.JPG'),
      subject('/p/IMG_1.PNG', { kind: 'png' }),
    ];
    expect(detect(copies)).toEqual([]);
  });

  it('uses the camera burst id whatever the spacing', () => {
    const list = frames(3, { stepSeconds: 5 }).map((s) => ({ ...s, burstId: 'B-1' }));
    const result = detect(list);
    expect(result).toHaveLength(1);
    expect(result[0]?.cameraBurstId).toBe('B-1');
  });

  it('never builds a burst from bad EXIF: 1970 or 2099 clocks, no time, unknown camera', () => {
    const reset = frames(4).map((s, i) => ({ ...s, captureLocal: `1970-01-01T00:00:0${i}.000` }));
    const future = frames(4).map((s, i) => ({ ...s, captureLocal: `2099-12-31T23:59:5${i}.000` }));
    const untimed = frames(4).map((s) => ({ ...s, captureLocal: null }));
    const anonymous = frames(4).map((s) => ({ ...s, make: null, model: null }));
    expect(detect(reset)).toEqual([]);
    expect(detect(future)).toEqual([]);
    expect(detect(untimed)).toEqual([]);
    expect(detect(anonymous)).toEqual([]);
  });
});
