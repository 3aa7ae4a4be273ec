/** Globals the renderer may find: the preload's API in Electron (absent in the web host). */
import type { StudyApi } from '../../shared/ipc/api';

declare global {
  interface Window {
    studyApi?: StudyApi;
  }
}
