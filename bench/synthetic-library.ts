import type { InsightSubject } from '../src/domain/insights/insight-subject.js';
import type { City } from '../src/domain/insights/place-clustering.js';

/**
 * n library entries shaped like a camera roll, deterministic per seed: shots minutes to days
 * apart, 20% RAW+JPEG pairs, a burst of 5 frames every 50 shots, GPS on 60% around 8 of 2,000
 * made-up cities (also returned, for the place-naming look-up).
 */
export function syntheticLibrary(n: number, seed: number): { subjects: InsightSubject[]; cities: City[] } {
  let state = seed >>> 0 || 1;
  const rnd = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const hex16 = () => Array.from({ length: 16 }, () => Math.floor(rnd() * 16).toString(16)).join('');

  const cities: City[] = Array.from({ length: 2000 }, (_, i) => ({
    name: `City ${i}`,
    country: 'XX',
    latitude: rnd() * 120 - 60,
    longitude: rnd() * 340 - 170,
  }));
  const centres = cities.slice(0, 8);

  const subjects: InsightSubject[] = [];
  let t = Date.UTC(2015, 0, 1);
  for (let shot = 0; subjects.length < n; shot++) {
    t += rnd() < 0.05 ? rnd() * 5 * 86_400_000 : rnd() * 600_000;
    const folder = `/lib/${new Date(t).toISOString().slice(0, 7)}`;
    const frames = shot % 50 === 0 ? 5 : 1;
    const centre = centres[shot % centres.length] as City;
    const gps = rnd() < 0.6;
    for (let f = 0; f < frames; f++) {
      const at = t + f * 300;
      const base = `IMG_${shot}_${f}`;
      const common = {
        sizeBytes: 3_000_000,
        captureLocal: new Date(at).toISOString().slice(0, 23),
        make: 'Canon',
        model: 'EOS R6',
        bodySerial: null,
        burstId: null,
        sequenceNumber: null,
        contentIdentifier: null,
        gpsLatitude: gps ? centre.latitude + (rnd() - 0.5) * 0.02 : null,
        gpsLongitude: gps ? centre.longitude + (rnd() - 0.5) * 0.02 : null,
        width: 6000,
        height: 4000,
        phash: hex16(),
        quality: {
          laplacianVariance: 20 + rnd() * 800,
          meanLuminance: 20 + rnd() * 200,
          clippedShadows: rnd() * 0.1,
          clippedHighlights: rnd() * 0.1,
          integrity: 'ok' as const,
        },
        problemCode: null,
      };
      subjects.push({
        ...common,
        id: `${folder}/${base}.JPG`,
        path: `${folder}/${base}.JPG`,
        kind: 'jpeg',
        sha256: hex16(),
      });
      if (shot % 5 === 0)
        subjects.push({
          ...common,
          id: `${folder}/${base}.CR3`,
          path: `${folder}/${base}.CR3`,
          kind: 'raw',
          sha256: hex16(),
        });
    }
  }
  return { subjects, cities };
}
