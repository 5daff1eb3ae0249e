import { useEffect, useState, type CSSProperties } from 'react';
import { api, errorMessage } from '../api/client';

interface Props {
  assetId: string;
  thumbnailUrl: string | null;
  alt: string;
  style?: CSSProperties;
  draggable?: boolean;
  /** Fetch the display-size preview (default); false keeps the thumbnail alone. */
  preview?: boolean;
}

type State = { id: string; src: string | null; note: string | null };

/**
 * The thumbnail at once (it is already in the browser's cache from the grid), then the server's
 * display-size preview as soon as it arrives. When the server cannot make one (the original is
 * gone or unreadable) the thumbnail stays, with a note saying why it is blurry.
 */
export function PreviewImage({ assetId, thumbnailUrl, alt, style, draggable, preview = true }: Props) {
  const [state, setState] = useState<State>({ id: assetId, src: null, note: null });
  useEffect(() => {
    if (!preview) return;
    let url: string | null = null;
    let live = true;
    api.assets.preview(assetId).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setState({ id: assetId, src: url, note: null });
      },
      (err: unknown) => {
        if (live) setState({ id: assetId, src: null, note: errorMessage(err) });
      },
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [assetId, preview]);

  const current = state.id === assetId ? state : { src: null, note: null };
  const src = current.src ?? thumbnailUrl;
  return (
    <>
      {src ? (
        <img
          src={src}
          alt={alt}
          style={style}
          draggable={draggable}
          data-preview={current.src ? 'full' : 'thumbnail'}
        />
      ) : (
        <span className="thumb-missing">No preview for this file</span>
      )}
      {current.note ? (
        <span className="preview-note" role="note">
          Showing the thumbnail: {current.note}
        </span>
      ) : null}
    </>
  );
}
