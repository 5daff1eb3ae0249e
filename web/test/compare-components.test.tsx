import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CompareImages } from '../src/review/CompareImages';
import { MetadataDiffTable } from '../src/review/MetadataDiffTable';
import { fitted } from '../src/review/sync-zoom';
import { detail, member } from './fixtures';

afterEach(cleanup);
// The panes ask for display-size previews; here they never arrive, so the thumbnails stay.
beforeEach(() => {
  vi.stubGlobal('fetch', () => new Promise(() => undefined));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const d = detail([
  member('keeper', { resolution: '4000×3000' }, true),
  member('copy', { resolution: '1000×750' }),
]);

describe('side-by-side compare', () => {
  it('marks kept and removed copies, the recommended keeper, and toggles on click', () => {
    const onToggle = vi.fn();
    const { container } = render(
      <CompareImages
        members={d.members}
        keep={new Set(['keeper'])}
        focus={0}
        zoom={fitted}
        onZoom={vi.fn()}
        onToggle={onToggle}
      />,
    );
    const panes = container.querySelectorAll('figure.pane');
    expect([...panes].map((p) => p.getAttribute('data-keep'))).toEqual(['true', 'false']);
    expect(screen.getByText('recommended')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '2. Remove' }));
    expect(onToggle).toHaveBeenCalledWith('copy');
  });

  it('applies one zoom to every pane and zooms in on wheel up', () => {
    const onZoom = vi.fn();
    const { container } = render(
      <CompareImages
        members={d.members}
        keep={new Set()}
        focus={0}
        zoom={{ scale: 2, x: 0.1, y: 0 }}
        onZoom={onZoom}
        onToggle={vi.fn()}
      />,
    );
    const transforms = [...container.querySelectorAll('img')].map((i) => i.style.transform);
    expect(new Set(transforms).size).toBe(1);
    expect(transforms[0]).toContain('scale(2)');
    fireEvent.wheel(container.querySelector('.pane-image')!, { deltaY: -100, clientX: 0, clientY: 0 });
    expect((onZoom.mock.calls[0]![0] as { scale: number }).scale).toBeGreaterThan(2);
  });

  it('highlights in the metadata table the cells that differ from the keeper', () => {
    const { container } = render(<MetadataDiffTable detail={d} keeperId="keeper" />);
    const highlighted = [...container.querySelectorAll('td.diff-cell')].map((td) => td.textContent);
    expect(highlighted).toEqual(['1000×750']);
    expect(container.querySelectorAll('tr.differs')).toHaveLength(1);
  });
});
