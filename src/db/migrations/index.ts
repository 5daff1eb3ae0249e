import type { Migration } from 'kysely';
import * as initial from './20261124T0100-initial.js';
import * as duplicates from './20261124T0200-duplicates.js';
import * as albums from './20261124T0300-albums.js';
import * as insights from './20261124T1000-insights.js';
import * as usersAndActions from './20261124T1100-users-and-actions.js';
import * as jobChildren from './20261124T1200-job-children.js';
import * as albumOwners from './20261124T1400-album-owners.js';
import * as settings from './20261124T1500-settings.js';
import * as listIndexes from './20261124T1510-list-indexes.js';
import * as deleteIndexes from './20261205T1100-delete-indexes.js';
import * as qualityFlags from './20261205T1200-quality-flags.js';
import * as immich from './20261205T1300-immich.js';
import * as immichSkipped from './20261205T1310-immich-skipped.js';
import * as albumsFavourites from './20261205T1400-albums-favourites.js';
import * as exploreIndexes from './20261205T1500-explore-indexes.js';
import * as libraryLifecycle from './20261206T0240-library-lifecycle.js';

/**
 * Every migration, by timestamped name. A static list (not a folder scan) so the same set runs
 * from TypeScript sources, the compiled build and the tests.
 */
export const migrations: Record<string, Migration> = {
  '20261124T0100-initial': initial,
  '20261124T0200-duplicates': duplicates,
  '20261124T0300-albums': albums,
  '20261124T1000-insights': insights,
  '20261124T1100-users-and-actions': usersAndActions,
  '20261124T1200-job-children': jobChildren,
  '20261124T1400-album-owners': albumOwners,
  '20261124T1500-settings': settings,
  '20261124T1510-list-indexes': listIndexes,
  '20261205T1100-delete-indexes': deleteIndexes,
  '20261205T1200-quality-flags': qualityFlags,
  '20261205T1300-immich': immich,
  '20261205T1310-immich-skipped': immichSkipped,
  '20261205T1400-albums-favourites': albumsFavourites,
  '20261205T1500-explore-indexes': exploreIndexes,
  '20261206T0240-library-lifecycle': libraryLifecycle,
};
