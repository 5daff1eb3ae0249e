/** One helper for the API's compare table and the viewer: see src/domain/camera-label.ts. */
export { cameraLabel } from '../../../src/domain/camera-label.js';
