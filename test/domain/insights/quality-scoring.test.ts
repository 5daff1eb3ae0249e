import { describe, expect, it } from 'vitest';
import {
  QUALITY_THRESHOLDS,
  assessQuality,
  judgeAgainstSiblings,
  type QualityAssessment,
  type QualityPeer,
} from '../../../src/domain/insights/quality-scoring.js';
import { goodQuality } from './subjects.js';

const t = QUALITY_THRESHOLDS;

describe('quality scoring (picture alone)', () => {
  it('scores a sharp, well-exposed picture high with no label', () => {
    const q = assessQuality(goodQuality(), null);
    expect(q?.labels).toEqual([]);
    expect(q?.flags).toEqual([]);
    expect(q?.score).toBeGreaterThanOrEqual(85);
  });

  it('labels each problem at its documented threshold, with the measure, value and a reason', () => {
    const blurry = assessQuality(goodQuality({ focusDetail: t.blurryFocusDetail - 1 }), null);
    expect(blurry?.labels).toEqual(['very blurry']);
    expect(blurry?.flags[0]).toMatchObject({
      measure: 'focusDetail',
      value: t.blurryFocusDetail - 1,
      threshold: t.blurryFocusDetail,
      basis: 'absolute',
    });
    expect(blurry?.flags[0]?.reason).toContain(String(t.blurryFocusDetail - 1));
    expect(assessQuality(goodQuality({ focusDetail: t.blurryFocusDetail + 1 }), null)?.labels).toEqual([]);

    const dark = assessQuality(goodQuality({ lumaP999: t.darkBrightestLuma - 1, lumaP99: 30 }), null);
    expect(dark?.labels).toEqual(['too dark']);
    expect(dark?.flags[0]).toMatchObject({ measure: 'lumaP999', value: t.darkBrightestLuma - 1 });

    const blown = assessQuality(
      goodQuality({
        clippedHighlights: 0.6,
        lumaP1: t.overexposedDarkestLuma + 10,
        lumaP999: 255,
        medianDetail: 2,
      }),
      null,
    );
    expect(blown?.labels).toEqual(['overexposed']);
    expect(blown?.flags[0]).toMatchObject({ measure: 'clippedHighlights', value: 0.6 });
  });

  it('does not call a dim, low-contrast picture too dark while something reaches an eighth of white', () => {
    // A hazy dusk: nothing black, nothing bright, brightest 0.1 % at 44/255.
    expect(
      assessQuality(goodQuality({ meanLuminance: 32, lumaP1: 25, lumaP99: 40, lumaP999: 44 }), null)?.labels,
    ).toEqual([]);
  });

  it('does not judge exposure by the mean: a night scene and a bright snow field pass', () => {
    // Mean 12, but lights in the frame reach 200: a night sky, not an underexposed frame.
    expect(
      assessQuality(goodQuality({ meanLuminance: 12, lumaP1: 0, lumaP99: 90, lumaP999: 200 }), null)?.labels,
    ).toEqual([]);
    // Mean 240, 30 % clipped, but dark trees remain: snow in sunshine.
    expect(
      assessQuality(
        goodQuality({ meanLuminance: 240, clippedHighlights: 0.3, lumaP1: 20, lumaP999: 255 }),
        null,
      )?.labels,
    ).toEqual([]);
    // Text on white paper: mostly clipped white, but black text.
    expect(
      assessQuality(
        goodQuality({ meanLuminance: 238, clippedHighlights: 0.7, lumaP1: 12, lumaP999: 255 }),
        null,
      )?.labels,
    ).toEqual([]);
  });

  it('does not call a featureless picture blurry, but still a soft one with structure', () => {
    // An empty sky or a plain wall: no detail at any scale, so no focus to judge.
    const plain = assessQuality(
      goodQuality({ focusDetail: 1, medianDetail: 0.5, coarseDetail: t.featurelessCoarseDetail - 1 }),
      null,
    );
    expect(plain?.labels).toEqual([]);
    // Defocus: fine detail gone, structure kept at thumbnail scale.
    const soft = assessQuality(
      goodQuality({ focusDetail: 1, medianDetail: 0.5, coarseDetail: t.featurelessCoarseDetail + 80 }),
      null,
    );
    expect(soft?.labels).toEqual(['very blurry']);
    // Metrics stored before coarseDetail existed keep the former judgement.
    expect(assessQuality(goodQuality({ focusDetail: 1, medianDetail: 0.5 }), null)?.labels).toEqual([
      'very blurry',
    ]);
  });

  it('does not call a dark frame blurry: its detail says nothing about focus', () => {
    expect(assessQuality(goodQuality({ lumaP999: 20, lumaP99: 15, focusDetail: 2 }), null)?.labels).toEqual([
      'too dark',
    ]);
  });

  it('keeps the former rules for metrics stored before the scale-free measures', () => {
    const legacy = {
      laplacianVariance: 300,
      meanLuminance: 120,
      clippedShadows: 0.01,
      clippedHighlights: 0.01,
    };
    const q = (over: object) => assessQuality({ ...legacy, integrity: 'ok', ...over }, null);
    expect(q({})?.labels).toEqual([]);
    expect(q({ laplacianVariance: 6 })?.labels).toEqual(['very blurry']);
    expect(q({ meanLuminance: 8 })?.labels).toEqual(['too dark']);
  });

  it('scores truncated, undecodable or corrupted-reported files 0 and says why', () => {
    const truncated = assessQuality(goodQuality({ integrity: 'truncated' }), null);
    expect(truncated).toMatchObject({ score: 0, labels: ['corrupted'] });
    expect(truncated?.flags[0]).toMatchObject({ measure: 'integrity', value: 'truncated' });
    expect(assessQuality(null, 'corrupted')).toMatchObject({ score: 0, labels: ['corrupted'] });
    expect(assessQuality(null, null)).toBeNull();
  });

  it('keeps every labelled picture at or below the flagged ceiling and orders by sharpness', () => {
    const blurry = assessQuality(goodQuality({ focusDetail: 5 }), null);
    expect(blurry?.score).toBeLessThanOrEqual(t.flaggedScoreCeiling);
    const soft = assessQuality(goodQuality({ focusDetail: 20 }), null)?.score ?? 0;
    const crisp = assessQuality(goodQuality({ focusDetail: 150 }), null)?.score ?? 0;
    expect(crisp).toBeGreaterThan(soft);
  });
});

describe('quality scoring (against near-identical siblings)', () => {
  const peer = (id: string, phash: string, over = {}): QualityPeer => ({
    id,
    phash,
    sha256: `sha-${id}`,
    quality: goodQuality(over),
  });
  const judge = (peers: QualityPeer[]) => {
    const map = new Map<string, QualityAssessment>();
    for (const p of peers) map.set(p.id, assessQuality(p.quality, null) as QualityAssessment);
    judgeAgainstSiblings(peers, map);
    return map;
  };

  it('flags the frame clearly blurrier than its sibling, though it passes alone, and names the sibling', () => {
    const out = judge([
      peer('sharp', 'f0f0f0f0f0f0f0f0', { focusDetail: 120, medianDetail: 30 }),
      peer('soft', 'f0f0f0f0f0f0f0f1', { focusDetail: 30, medianDetail: 6 }),
    ]);
    expect(out.get('soft')?.labels).toEqual(['very blurry']);
    expect(out.get('soft')?.flags[0]).toMatchObject({ basis: 'relative', siblingId: 'sharp' });
    expect(out.get('sharp')?.labels).toEqual([]);
  });

  it('does not flag a copy whose sibling only gained a sharp caption (median detail unchanged)', () => {
    const out = judge([
      peer('captioned', 'f0f0f0f0f0f0f0f0', { focusDetail: 300, medianDetail: 30 }),
      peer('plain', 'f0f0f0f0f0f0f0f0', { focusDetail: 90, medianDetail: 29 }),
    ]);
    expect(out.get('plain')?.labels).toEqual([]);
  });

  it('flags a frame much darker, or blown out, against its sibling; unrelated pictures are not siblings', () => {
    const out = judge([
      peer('normal', 'f0f0f0f0f0f0f0f0', { meanLuminance: 40, lumaP99: 200, clippedHighlights: 0 }),
      peer('dim', 'f0f0f0f0f0f0f0f0', { meanLuminance: 8, lumaP99: 50, lumaP999: 60 }),
      peer('bright', 'f0f0f0f0f0f0f0f0', { meanLuminance: 90, lumaP99: 255, clippedHighlights: 0.08 }),
      peer('other', '0f0f0f0f0f0f0f0f', { meanLuminance: 8, lumaP99: 50, lumaP999: 60 }),
    ]);
    expect(out.get('dim')?.labels).toEqual(['too dark']);
    expect(out.get('bright')?.labels).toEqual(['overexposed']);
    expect(out.get('normal')?.labels).toEqual([]);
    expect(out.get('other')?.labels).toEqual([]);
  });

  it('flags a blown-out version whose mean saturated, by its shadows, and measures blur only against siblings exposed alike', () => {
    const out = judge([
      peer('original', 'f0f0f0f0f0f0f0f0', {
        meanLuminance: 175,
        lumaP1: 38,
        clippedHighlights: 0,
        focusDetail: 40,
        medianDetail: 6,
      }),
      // ×3 exposure: the mean only rose ×1.36 (it saturates at white), the darkest 1 % doubled.
      peer('blown', 'f0f0f0f0f0f0f0f1', {
        meanLuminance: 239,
        lumaP1: 78,
        clippedHighlights: 0.11,
        lumaP99: 255,
        lumaP999: 255,
        focusDetail: 120,
        medianDetail: 20,
      }),
    ]);
    expect(out.get('blown')?.labels).toEqual(['overexposed']);
    expect(out.get('blown')?.flags[0]).toMatchObject({ basis: 'relative', siblingId: 'original' });
    // The blown version's stretched contrast raised its detail ×3: the original is not "blurrier".
    expect(out.get('original')?.labels).toEqual([]);
  });

  it('does not compare detail with a sibling exposed very differently, even when that one is not flagged', () => {
    const out = judge([
      peer('bright', 'f0f0f0f0f0f0f0f0', { meanLuminance: 150, focusDetail: 120, medianDetail: 30 }),
      peer('dim', 'f0f0f0f0f0f0f0f1', { meanLuminance: 60, focusDetail: 30, medianDetail: 6 }),
    ]);
    expect(out.get('dim')?.labels).toEqual([]);
  });

  it('judges exposure against a sibling that is only soft: blur does not make it a worse exposure reference', () => {
    const out = judge([
      peer('soft', 'f0f0f0f0f0f0f0f0', {
        meanLuminance: 56,
        lumaP1: 6,
        lumaP99: 165,
        clippedHighlights: 0,
        focusDetail: t.blurryFocusDetail / 2,
        medianDetail: 5,
      }),
      peer('blown', 'f0f0f0f0f0f0f0f1', {
        meanLuminance: 135,
        lumaP1: 20,
        lumaP99: 255,
        clippedHighlights: 0.053,
        focusDetail: 25,
        medianDetail: 16,
      }),
    ]);
    expect(out.get('soft')?.labels).toEqual(['very blurry']);
    expect(out.get('blown')?.labels).toEqual(['overexposed']);
    expect(out.get('blown')?.flags[0]).toMatchObject({ basis: 'relative', siblingId: 'soft' });
  });
});
