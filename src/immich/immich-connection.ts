import { Permission } from '@immich/sdk';
import { ImmichError, type ImmichClient } from './immich-client.js';

/**
 * The Immich major version this build talks to: the major of the pinned `@immich/sdk`
 * (package.json `^3`). A server of another major may have changed the API; refuse it.
 */
export const SUPPORTED_IMMICH_MAJOR = 3;

/** What photo-sync needs from the key, and why (docs/IMMICH.md lists the same). */
export const REQUIRED_PERMISSIONS: readonly { permission: Permission; usedFor: string }[] = [
  { permission: Permission.AssetRead, usedFor: 'list assets and their EXIF' },
  { permission: Permission.AssetView, usedFor: 'thumbnails and previews for analysis' },
  { permission: Permission.AssetDownload, usedFor: 'originals where a byte comparison is needed' },
  { permission: Permission.AssetUpdate, usedFor: 'merge favourite, rating, description; duplicate review' },
  { permission: Permission.AssetDelete, usedFor: "move removals to Immich's trash and restore them" },
  { permission: Permission.StackCreate, usedFor: 'stack versions and bursts' },
  { permission: Permission.StackRead, usedFor: 'read existing stacks' },
  { permission: Permission.StackUpdate, usedFor: "set a stack's primary" },
  { permission: Permission.StackDelete, usedFor: 'undo a stack' },
  { permission: Permission.AlbumCreate, usedFor: 'create suggested albums' },
  { permission: Permission.AlbumRead, usedFor: 'read the albums of a removed photo (metadata merge)' },
  { permission: Permission.AlbumAssetCreate, usedFor: 'add photos to albums' },
  { permission: Permission.DuplicateRead, usedFor: "read Immich's duplicate groups" },
  { permission: Permission.DuplicateDelete, usedFor: "resolve Immich's duplicate groups" },
];

export interface ImmichConnectionCheck {
  version: string;
  major: number;
  /** Permissions the key lacks (empty when it has `all`). */
  missingPermissions: { permission: string; usedFor: string }[];
}

/**
 * Reads the server version (refusing another major) and the key's permissions. Throws
 * ImmichError when the server cannot be reached, refuses the key, or runs an unsupported major.
 */
export async function checkImmichConnection(client: ImmichClient): Promise<ImmichConnectionCheck> {
  const v = await client.serverVersion();
  const version = `${v.major}.${v.minor}.${v.patch}`;
  if (v.major !== SUPPORTED_IMMICH_MAJOR)
    throw new ImmichError(
      `Immich ${version} is not supported: this photo-sync talks to Immich ${SUPPORTED_IMMICH_MAJOR}.x. ` +
        (v.major < SUPPORTED_IMMICH_MAJOR
          ? `Update Immich to ${SUPPORTED_IMMICH_MAJOR}.x.`
          : 'Update photo-sync to a release built for this Immich version.'),
      'bad-request',
    );
  const key = await client.myApiKey();
  const granted = new Set<string>(key.permissions);
  const missingPermissions = granted.has(Permission.All)
    ? []
    : REQUIRED_PERMISSIONS.filter((p) => !granted.has(p.permission)).map((p) => ({
        permission: p.permission,
        usedFor: p.usedFor,
      }));
  return { version, major: v.major, missingPermissions };
}
