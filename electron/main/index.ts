/** Entry point of the Electron main process (built to out/main/index.js). */
import { startElectronHost } from './host';

startElectronHost();
