import './explore.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { explore } from '../api/explore';
import { useCurrentUser } from '../auth/session';

/**
 * A list's small picture of an asset. A video without a thumbnail (the server had no ffmpeg when
 * it read it), or a picture the browser cannot load, shows a placeholder naming what it is
 * instead of a broken image.
 */
export function MediaThumb({
  src,
  kind,
  alt = '',
}: {
  src: string | null;
  kind: string | null;
  alt?: string;
}) {
  const [failed, setFailed] = useState(false);
  if (!src || failed)
    return (
      <span
        className="media-placeholder"
        data-placeholder={kind === 'video' ? 'video' : 'file'}
        role="img"
        aria-label={kind === 'video' ? 'Video without a thumbnail' : 'No thumbnail'}
      >
        <span aria-hidden>{kind === 'video' ? '▶' : '▢'}</span>
        <small>{kind === 'video' ? 'Video' : 'No preview'}</small>
      </span>
    );
  return <img src={src} alt={alt} loading="lazy" onError={() => setFailed(true)} />;
}

/**
 * Tells an administrator to install ffmpeg when videos were indexed without it (no thumbnails,
 * no duration); other users are told to ask one.
 */
export function FfmpegNotice() {
  const me = useCurrentUser();
  const caps = useQuery({
    queryKey: ['capabilities'],
    queryFn: () => explore.capabilities(),
    staleTime: 60_000,
  });
  const c = caps.data;
  if (!c || (c.ffmpeg !== false && c.videosNeedingFfmpeg === 0)) return null;
  const admin = !me || me.role === 'admin';
  return (
    <div className="notice" role="note" data-notice="ffmpeg">
      <strong>ffmpeg is not installed</strong>
      {c.videosNeedingFfmpeg > 0
        ? ` — ${c.videosNeedingFfmpeg.toLocaleString()} video${c.videosNeedingFfmpeg === 1 ? ' has' : 's have'} no thumbnail. `
        : ' — videos will have no thumbnail. '}
      {admin
        ? 'Install ffmpeg on the server (e.g. apt-get install ffmpeg), restart photo-sync and rescan the library.'
        : 'Ask your administrator to install ffmpeg on the server.'}
    </div>
  );
}
