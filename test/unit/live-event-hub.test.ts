import { describe, expect, it } from 'vitest';
import { AppEvents } from '../../src/events/app-events.js';
import { LiveEventHub, type LiveEvent, type LiveSubscriber } from '../../src/events/live-event-hub.js';

function subscriber(canSeeLibrary: string | null): LiveSubscriber & { got: LiveEvent[] } {
  const got: LiveEvent[] = [];
  return {
    got,
    canSee: (scope) => scope.libraryId === null || scope.libraryId === canSeeLibrary,
    send: (e) => got.push(e),
    refreshAccess: () => undefined,
    end: () => undefined,
  };
}

const changed = (events: AppEvents, libraryId: string) => {
  events.emit('library.changed', { libraryId, reason: 'test' });
};

describe('live event hub', () => {
  it('numbers events, filters per subscriber and replays after Last-Event-ID', () => {
    const events = new AppEvents();
    const hub = new LiveEventHub(events, 10, 60_000);
    const a = subscriber('A');
    const b = subscriber('B');
    hub.subscribe(a, null);
    hub.subscribe(b, null);
    changed(events, 'A');
    changed(events, 'B');
    changed(events, 'A');
    expect(a.got.map((e) => e.id)).toEqual([1, 3]);
    expect(b.got.map((e) => e.id)).toEqual([2]);

    const late = subscriber('A');
    hub.subscribe(late, 1);
    expect(late.got.map((e) => e.id)).toEqual([3]);
    hub.close();
  });

  it('sends resync when the missed events fell out of the bounded buffer', () => {
    const events = new AppEvents();
    const hub = new LiveEventHub(events, 3, 60_000);
    for (let i = 0; i < 6; i++) changed(events, 'A');
    const back = subscriber('A');
    hub.subscribe(back, 1);
    expect(back.got.map((e) => e.name)).toEqual([
      'resync',
      'library.changed',
      'library.changed',
      'library.changed',
    ]);
    expect(back.got.slice(1).map((e) => e.id)).toEqual([4, 5, 6]);
    const current = subscriber('A');
    hub.subscribe(current, 6);
    expect(current.got).toEqual([]);
    hub.close();
  });
});
