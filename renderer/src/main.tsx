/** Renderer entry: mounts the app into #root (or the recovery screen, when core could not open the database). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RecoveryGate } from './recovery/RecoveryGate';
import { App } from './shell/App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <RecoveryGate>
      <App />
    </RecoveryGate>
  </StrictMode>,
);
