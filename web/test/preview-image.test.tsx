import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PreviewImage } from '../src/ui/PreviewImage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const problem = (status: number, detail: string) =>
  new Response(JSON.stringify({ type: 'x/original-unavailable', title: 'Not Found', status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

describe('PreviewImage', () => {
  it('shows the thumbnail at once, then swaps in the preview', async () => {
    let answer: (r: Response) => void = () => undefined;
    const fetchMock = vi.fn((_url: string) => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetchMock);
    render(<PreviewImage assetId="a1" thumbnailUrl="/api/assets/a1/thumbnail" alt="photo" />);
    const img = screen.getByAltText('photo');
    expect(img.getAttribute('src')).toBe('/api/assets/a1/thumbnail');
    expect(img.dataset.preview).toBe('thumbnail');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/assets/a1/preview');

    answer(new Response(new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' }), { status: 200 }));
    await waitFor(() => expect(screen.getByAltText('photo').dataset.preview).toBe('full'));
    expect(screen.getByAltText('photo').getAttribute('src')).toMatch(/^blob:/);
  });

  it('keeps the thumbnail with a note when the server cannot make a preview', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(problem(404, 'No preview of a.jpg: the original file is gone')),
    );
    render(<PreviewImage assetId="a2" thumbnailUrl="/api/assets/a2/thumbnail" alt="photo" />);
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('the original file is gone');
    expect(screen.getByAltText('photo').getAttribute('src')).toBe('/api/assets/a2/thumbnail');
  });
});
