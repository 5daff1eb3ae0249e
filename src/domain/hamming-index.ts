/**
 * Exact radius search in Hamming space for 64-bit signatures by multi-index hashing (Norouzi, Punjani &
 * Fleet, "Fast Search in Hamming Space with Multi-Index Hashing", CVPR 2012).
 *
 * The 64 bits are cut into m disjoint substrings, each indexed by its own table. With r = s·m + a
 * (0 ≤ a < m), two signatures within distance r differ by ≤ s bits on one of the first a + 1 substrings
 * or by ≤ s − 1 bits on one of the others (else they would differ by ≥ r + 1 bits), so only those small
 * neighbourhoods are probed, and every candidate is verified on all 64 bits: no false negatives, no false
 * positives. A pair is reported only by the first table whose sub-radius it meets, which makes every
 * result unique without a visited set.
 *
 * Identical signatures (real libraries hold thousands of exact copies) are stored once with their id list,
 * so search work is per distinct signature and copies only cost the pairs they actually produce.
 *
 * Typed-array reads in loops are in bounds by construction (CSR offsets, loop limits) and use `as number`
 * rather than a per-element check, which keeps the hot loops branch-free.
 */
import { ballMasks, ballSize, bitField64, bitMask64, popcount32, popcount64 } from './popcount.js';
import { sortedIndices, type PairCallback } from './popcount.js';

export { bruteForceAllPairs, hammingDistance, popcount32, popcount64 } from './popcount.js';
export { signatureFromHex, signaturesFromHex, signatureToHex } from './popcount.js';
export type { PairCallback, Signature } from './popcount.js';

export interface HammingIndexOptions {
  /** Largest radius `query`/`allPairs` accept (0..32); the substring layout is tuned for it. */
  readonly maxRadius: number;
  /** Forces the number of substrings (3..21) instead of the cost model: for tests and tuning. */
  readonly substrings?: number;
}

export interface Neighbour {
  readonly id: number;
  readonly distance: number;
}

/** Parallel arrays of entries. */
interface Entries {
  readonly ids: Uint32Array;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
}

/** Widest directly addressed substring: 2^22 + 1 offsets is 16 MiB per table. Hence m ≥ 3. */
const MAX_KEY_BITS = 22;
const MIN_SUBSTRINGS = Math.ceil(64 / MAX_KEY_BITS);
/** Substrings of at least 3 bits; narrower ones would put a large share of the index in every bucket. */
const MAX_SUBSTRINGS = 21;
/** Cost of probing one bucket relative to verifying one candidate (fitted with bench/hamming.bench.ts). */
const PROBE_COST = 5;
/** Adds wait in a linearly scanned buffer until it outgrows 1/8 of the static part, which bounds rebuild
 * work per add; the floor spares tiny indexes a rebuild per add, the cap keeps each query's scan short. */
const PENDING_MIN = 64;
const PENDING_MAX = 4096;

/** One substring's table in CSR form: bucket `k` is positions offsets[k] .. offsets[k + 1] − 1. */
interface Table {
  readonly start: number;
  readonly width: number;
  readonly offsets: Uint32Array;
  /** Distinct-signature number per position. */
  readonly members: Uint32Array;
  /** Members' halves, copied so that verification reads sequentially. `far` is the half holding less of the
   * substring: bucket-mates nearly agree on the substring, so `far` rejects non-matches sooner. */
  readonly farIsHi: boolean;
  readonly far: Uint32Array;
  readonly near: Uint32Array;
  /** The substring's bits in each half, to measure a pair's distance on it. */
  readonly maskHi: number;
  readonly maskLo: number;
}

/** The bulk-built part; only its tombstones change until the next rebuild. */
interface StaticPart {
  readonly substrings: number;
  /** The tables a radius ≤ maxRadius can probe: the first min(substrings, maxRadius + 1). */
  readonly tables: readonly Table[];
  /** Distinct signature u is (sigHi[u], sigLo[u]) with ids groupIds[groupStart[u] .. groupStart[u + 1] − 1]. */
  readonly sigHi: Uint32Array;
  readonly sigLo: Uint32Array;
  readonly groupStart: Uint32Array;
  readonly groupIds: Uint32Array;
  readonly dead: Uint8Array;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

function checkUint32(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) checkInteger(name, value, 0, 0xffffffff);
}

/** Substring widths: 64 split as evenly as possible, wider ones first. */
function substringWidths(m: number): number[] {
  return Array.from({ length: m }, (_, t) => Math.floor(64 / m) + (t < 64 % m ? 1 : 0));
}

/** Per-table search radius for query radius r (the generalized pigeonhole rule); −1 means "skip". */
function subRadii(r: number, m: number): Int32Array {
  const s = Math.floor(r / m);
  return Int32Array.from({ length: m }, (_, t) => (t <= r % m ? s : s - 1));
}

/**
 * The m minimising the paper's cost model for one query at maxRadius over n signatures: per probed table,
 * buckets probed × (probe cost + expected occupancy n / 2^width), plus each entry's share 2^width / n of
 * building and scanning the table (which keeps small indexes off 2^22-bucket tables). For 1M uniformly
 * random signatures this picks m = 3 at radius 4 and m = 4 at radius 8 and 12.
 */
function chooseSubstrings(maxRadius: number, n: number): number {
  let [best, bestCost] = [MIN_SUBSTRINGS, Infinity];
  for (let m = MIN_SUBSTRINGS; m <= MAX_SUBSTRINGS; m++) {
    const radii = subRadii(maxRadius, m);
    const cost = substringWidths(m).reduce((sum, width, t) => {
      const subRadius = radii[t] ?? -1;
      if (subRadius < 0) return sum;
      return sum + ballSize(width, subRadius) * (PROBE_COST + n / 2 ** width) + 2 ** width / n;
    }, 0);
    if (cost < bestCost) [best, bestCost] = [m, cost];
  }
  return best;
}

/** Counting sort of the distinct signatures by one substring: the CSR table. */
function buildTable(start: number, width: number, sigHi: Uint32Array, sigLo: Uint32Array): Table {
  const n = sigHi.length;
  const keys = new Uint32Array(n);
  const offsets = new Uint32Array((1 << width) + 1);
  for (let u = 0; u < n; u++) {
    const key = bitField64(sigHi[u] as number, sigLo[u] as number, start, width);
    keys[u] = key;
    offsets[key + 1] = (offsets[key + 1] as number) + 1;
  }
  for (let k = 1; k < offsets.length; k++) offsets[k] = (offsets[k] as number) + (offsets[k - 1] as number);
  const farIsHi = start + width / 2 < 32;
  const [farSource, nearSource] = farIsHi ? [sigHi, sigLo] : [sigLo, sigHi];
  const [members, far, near] = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
  const cursor = offsets.slice(0, -1);
  for (let u = 0; u < n; u++) {
    const key = keys[u] as number;
    const at = cursor[key] as number;
    cursor[key] = at + 1;
    [members[at], far[at], near[at]] = [u, farSource[u] as number, nearSource[u] as number];
  }
  const [maskHi, maskLo] = bitMask64(start, width);
  return { start, width, offsets, members, farIsHi, far, near, maskHi, maskLo };
}

/** Groups identical signatures (sorted by all 64 bits) and builds the substring tables over the groups. */
function buildStatic({ ids, hi, lo }: Entries, maxRadius: number, forcedSubstrings?: number): StaticPart {
  const order = sortedIndices(hi, lo);
  const isNewSignature = (i: number): boolean => {
    if (i === 0) return true;
    const [e, previous] = [order[i] as number, order[i - 1] as number];
    return hi[e] !== hi[previous] || lo[e] !== lo[previous];
  };
  let distinct = 0;
  for (let i = 0; i < ids.length; i++) if (isNewSignature(i)) distinct++;
  const [sigHi, sigLo] = [new Uint32Array(distinct), new Uint32Array(distinct)];
  const [groupStart, groupIds] = [new Uint32Array(distinct + 1), new Uint32Array(ids.length)];
  for (let i = 0, u = -1; i < ids.length; i++) {
    const e = order[i] as number;
    if (isNewSignature(i)) {
      u++;
      [sigHi[u], sigLo[u], groupStart[u]] = [hi[e] as number, lo[e] as number, i];
    }
    groupIds[i] = ids[e] as number;
  }
  groupStart[distinct] = ids.length;
  const substrings = forcedSubstrings ?? chooseSubstrings(maxRadius, distinct);
  const widths = substringWidths(substrings);
  const tables: Table[] = [];
  for (let t = 0, start = 0; t < Math.min(substrings, maxRadius + 1); start += widths[t++] as number) {
    tables.push(buildTable(start, widths[t] as number, sigHi, sigLo));
  }
  return { substrings, tables, sigHi, sigLo, groupStart, groupIds, dead: new Uint8Array(ids.length) };
}

/** True if no table before `t` sees the pair (XOR xh:xl) within its sub-radius, i.e. `t` reports it. */
function firstToSee(tables: readonly Table[], radii: Int32Array, t: number, xh: number, xl: number): boolean {
  for (let j = 0; j < t; j++) {
    const table = tables[j] as Table;
    if (popcount64(xh & table.maskHi, xl & table.maskLo) <= (radii[j] as number)) return false;
  }
  return true;
}

type MatchCallback = (u: number, distance: number) => void;

/** Reports every distinct signature within `radius` of (hi, lo), each once. */
function probe(part: StaticPart, hi: number, lo: number, radius: number, onMatch: MatchCallback): void {
  const radii = subRadii(radius, part.substrings);
  part.tables.forEach((table, t) => {
    const subRadius = radii[t] as number;
    if (subRadius < 0) return;
    const { offsets, members, farIsHi, far, near } = table;
    const [queryFar, queryNear] = farIsHi ? [hi, lo] : [lo, hi];
    const key = bitField64(hi, lo, table.start, table.width);
    for (const mask of ballMasks(table.width, subRadius)) {
      const end = offsets[(key ^ mask) + 1] as number;
      for (let p = offsets[key ^ mask] as number; p < end; p++) {
        const xFar = queryFar ^ (far[p] as number);
        if (popcount32(xFar) > radius) continue;
        const xNear = queryNear ^ (near[p] as number);
        const distance = popcount64(xFar, xNear);
        if (distance > radius) continue;
        const [xh, xl] = farIsHi ? [xFar, xNear] : [xNear, xFar];
        if (firstToSee(part.tables, radii, t, xh, xl)) onMatch(members[p] as number, distance);
      }
    }
  });
}

/** Calls `fn` with every live id of distinct signature u. */
function forLiveIds(part: StaticPart, u: number, fn: (id: number) => void): void {
  const end = part.groupStart[u + 1] as number;
  for (let i = part.groupStart[u] as number; i < end; i++) {
    if (part.dead[i] === 0) fn(part.groupIds[i] as number);
  }
}

/** Reports every live id pair between the copies of signatures u and v (u === v: pairs within one group). */
function emitGroups(part: StaticPart, u: number, v: number, distance: number, onPair: PairCallback): void {
  const { groupStart, groupIds, dead } = part;
  const [aEnd, bEnd] = [groupStart[u + 1] as number, groupStart[v + 1] as number];
  for (let i = groupStart[u] as number; i < aEnd; i++) {
    if (dead[i] === 1) continue;
    for (let j = u === v ? i + 1 : (groupStart[v] as number); j < bEnd; j++) {
      if (dead[j] === 0) onPair(groupIds[i] as number, groupIds[j] as number, distance);
    }
  }
}

/**
 * All-pairs join of a static part. Per table, each bucket is joined with itself and with the neighbouring
 * buckets above it (key ^ mask > key: the masks whose top bit is clear in key), so each bucket pair is
 * visited once. The buckets are first gathered into scratch arrays, which turns many short bucket × bucket
 * loops into one sequential scan per member.
 */
class SelfJoin {
  private scratchFar = new Uint32Array(1024);
  private scratchNear = new Uint32Array(1024);
  private scratchAt = new Uint32Array(1024);
  private readonly radii: Int32Array;

  constructor(
    private readonly part: StaticPart,
    private readonly radius: number,
    private readonly onPair: PairCallback,
  ) {
    this.radii = subRadii(radius, part.substrings);
  }

  run(): void {
    // Copies of one signature pair up among themselves at distance 0, then with the others the tables find.
    for (let u = 0; u < this.part.sigHi.length; u++) emitGroups(this.part, u, u, 0, this.onPair);
    this.part.tables.forEach((table, t) => {
      const subRadius = this.radii[t] as number;
      if (subRadius < 0) return;
      const masks = ballMasks(table.width, subRadius);
      // Masks are sorted, so those with top bit b are masks[byTopBit[b] .. byTopBit[b + 1] − 1].
      const byTopBit = Uint32Array.from({ length: table.width + 1 }, (_, b) => {
        const at = masks.findIndex((mask) => mask >= 2 ** b);
        return at < 0 ? masks.length : at;
      });
      for (let key = 0; key < 1 << table.width; key++) {
        if (table.offsets[key] !== table.offsets[key + 1]) this.joinBucket(t, masks, byTopBit, key);
      }
    });
  }

  private joinBucket(t: number, masks: Uint32Array, byTopBit: Uint32Array, key: number): void {
    const { offsets, width } = this.part.tables[t] as Table;
    const own = this.gather(t, key, 0);
    let count = own;
    for (let b = 0; b < width; b++) {
      if (((key >>> b) & 1) === 1) continue;
      const end = byTopBit[b + 1] as number;
      for (let i = byTopBit[b] as number; i < end; i++) {
        const other = key ^ (masks[i] as number);
        if (offsets[other] !== offsets[other + 1]) count = this.gather(t, other, count);
      }
    }
    const { scratchFar: far, scratchNear: near, radius } = this;
    for (let i = 0; i < own; i++) {
      const iFar = far[i] as number;
      const iNear = near[i] as number;
      for (let j = i + 1; j < count; j++) {
        const xFar = iFar ^ (far[j] as number);
        if (popcount32(xFar) > radius) continue;
        const xNear = iNear ^ (near[j] as number);
        const distance = popcount64(xFar, xNear);
        if (distance <= radius) this.report(t, i, j, xFar, xNear, distance);
      }
    }
  }

  /** Appends bucket `key` of table t to the scratch arrays at `count`; returns the new count. */
  private gather(t: number, key: number, count: number): number {
    const { offsets, far, near } = this.part.tables[t] as Table;
    const [start, end] = [offsets[key] as number, offsets[key + 1] as number];
    if (count + end - start > this.scratchAt.length) this.grow(count + end - start);
    const { scratchFar, scratchNear, scratchAt } = this;
    for (let p = start, at = count; p < end; p++, at++) {
      scratchFar[at] = far[p] as number;
      scratchNear[at] = near[p] as number;
      scratchAt[at] = p;
    }
    return count + end - start;
  }

  private grow(needed: number): void {
    const size = Math.max(needed, 2 * this.scratchAt.length);
    for (const name of ['scratchFar', 'scratchNear', 'scratchAt'] as const) {
      const bigger = new Uint32Array(size);
      bigger.set(this[name]);
      this[name] = bigger;
    }
  }

  private report(t: number, i: number, j: number, xFar: number, xNear: number, distance: number): void {
    const { tables } = this.part;
    const { farIsHi, members } = tables[t] as Table;
    const [xh, xl] = farIsHi ? [xFar, xNear] : [xNear, xFar];
    if (!firstToSee(tables, this.radii, t, xh, xl)) return;
    const [p, q] = [this.scratchAt[i] as number, this.scratchAt[j] as number];
    emitGroups(this.part, members[p] as number, members[q] as number, distance, this.onPair);
  }
}

/**
 * Exact Hamming-radius index over (id, 64-bit signature) entries. Ids are uint32 and should be unique among
 * live entries (not checked: that would cost an id map on the bulk path). In memory only: load it from
 * storage with `bulkLoad` at start-up, then keep it current with `add` and `remove`.
 */
export class HammingIndex {
  readonly maxRadius: number;
  private readonly forcedSubstrings: number | undefined;
  private part: StaticPart | undefined;
  private deadCount = 0;
  /** Static slots sorted by id, built by the first `remove` after a rebuild. */
  private slotsById: Uint32Array | undefined;
  /** Recent adds, scanned linearly until merged into the static part. */
  private pending: { ids: number[]; hi: number[]; lo: number[] } = { ids: [], hi: [], lo: [] };

  constructor({ maxRadius, substrings }: HammingIndexOptions) {
    checkInteger('maxRadius', maxRadius, 0, 32);
    if (substrings !== undefined) checkInteger('substrings', substrings, MIN_SUBSTRINGS, MAX_SUBSTRINGS);
    this.maxRadius = maxRadius;
    this.forcedSubstrings = substrings;
  }

  /** Number of live entries. */
  get size(): number {
    return (this.part?.groupIds.length ?? 0) - this.deadCount + this.pending.ids.length;
  }

  /** Layout of the static part, for diagnostics and the benchmark. */
  get stats(): { substrings: number; widths: number[]; distinct: number; pending: number } {
    const { part, pending } = this;
    const [substrings, widths] = [part?.substrings ?? 0, part?.tables.map((t) => t.width) ?? []];
    return { substrings, widths, distinct: part?.sigHi.length ?? 0, pending: pending.ids.length };
  }

  /** Adds one entry, searchable at once; a rebuild happens only when the pending buffer outgrows its bound. */
  add(id: number, hi: number, lo: number): void {
    checkUint32({ id, hi, lo });
    this.pending.ids.push(id);
    this.pending.hi.push(hi);
    this.pending.lo.push(lo);
    const bound = Math.min(PENDING_MAX, Math.max(PENDING_MIN, (this.part?.groupIds.length ?? 0) >>> 3));
    if (this.pending.ids.length > bound) this.rebuild();
  }

  /** Adds many entries at once by rebuilding the static part: radix and counting sorts, O(n). */
  bulkLoad(ids: Uint32Array, hi: Uint32Array, lo: Uint32Array): void {
    if (hi.length !== ids.length || lo.length !== ids.length) {
      throw new RangeError(`bulkLoad needs equal lengths, got ${ids.length}/${hi.length}/${lo.length}`);
    }
    this.rebuild({ ids, hi, lo });
  }

  /** Removes one entry with this id (a tombstone until the next rebuild); false if there is none. */
  remove(id: number): boolean {
    const at = this.pending.ids.indexOf(id);
    if (at >= 0) {
      for (const list of Object.values(this.pending)) list.splice(at, 1);
      return true;
    }
    const part = this.part;
    if (!part) return false;
    const slots = (this.slotsById ??= sortedIndices(part.groupIds));
    const idAt = (i: number): number => part.groupIds[slots[i] as number] as number;
    let [low, high] = [0, slots.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (idAt(mid) < id) low = mid + 1;
      else high = mid;
    }
    for (; low < slots.length && idAt(low) === id; low++) {
      const slot = slots[low] as number;
      if (part.dead[slot] === 1) continue;
      part.dead[slot] = 1;
      // Purge once a quarter is dead, so that tombstones never dominate the search work.
      if (++this.deadCount > part.groupIds.length >>> 2) this.rebuild();
      return true;
    }
    return false;
  }

  /** Every live entry within `radius` of (hi, lo), by increasing distance, then id. */
  query(hi: number, lo: number, radius: number): Neighbour[] {
    checkUint32({ hi, lo });
    checkInteger('radius', radius, 0, this.maxRadius);
    const found: Neighbour[] = [];
    const part = this.part;
    if (part) {
      probe(part, hi, lo, radius, (u, distance) => {
        forLiveIds(part, u, (id) => found.push({ id, distance }));
      });
    }
    this.pending.ids.forEach((id, i) => {
      const distance = popcount64(hi ^ (this.pending.hi[i] as number), lo ^ (this.pending.lo[i] as number));
      if (distance <= radius) found.push({ id, distance });
    });
    return found.sort((a, b) => a.distance - b.distance || a.id - b.id);
  }

  /** Calls `onPair` once for every unordered pair of live entries within `radius`. Merges pending adds
   * first: the rebuild is linear, the join is not. */
  allPairs(radius: number, onPair: PairCallback): void {
    checkInteger('radius', radius, 0, this.maxRadius);
    if (this.pending.ids.length > 0) this.rebuild();
    if (this.part) new SelfJoin(this.part, radius, onPair).run();
  }

  /** Rebuilds the static part from every live entry plus `extra`, dropping tombstones and pending adds. */
  private rebuild(extra?: Entries): void {
    const total = this.size + (extra?.ids.length ?? 0);
    const next = { ids: new Uint32Array(total), hi: new Uint32Array(total), lo: new Uint32Array(total) };
    let n = 0;
    const part = this.part;
    for (let u = 0; part && u < part.sigHi.length; u++) {
      forLiveIds(part, u, (id) => {
        [next.ids[n], next.hi[n], next.lo[n]] = [id, part.sigHi[u] as number, part.sigLo[u] as number];
        n++;
      });
    }
    for (const k of ['ids', 'hi', 'lo'] as const) {
      next[k].set(this.pending[k], n);
      next[k].set(extra?.[k] ?? [], n + this.pending.ids.length);
    }
    this.part = total > 0 ? buildStatic(next, this.maxRadius, this.forcedSubstrings) : undefined;
    this.pending = { ids: [], hi: [], lo: [] };
    this.deadCount = 0;
    this.slotsById = undefined;
  }
}
