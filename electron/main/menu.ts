// The application menu as a pure template: File (open, export, quit), Edit (the standard roles, so
// text fields keep native undo; the mask's undo is the renderer's Ctrl+Z), View (compare, fit,
// actual size, full screen), Window. Actions the renderer performs are delivered as 'menu' events
// through the API. Single-key shortcuts (C, F, 1) stay in the renderer, where typing in a field
// does not trigger them; a menu accelerator would.
import type { MenuItemOptions } from './electronTypes';

import type { MenuAction } from '../api/contract';

export function menuTemplate(send: (action: MenuAction) => void, platform: NodeJS.Platform): MenuItemOptions[] {
  const mac = platform === 'darwin';
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemOptions => ({ label, click: () => send(action), ...(accelerator ? { accelerator } : {}) });
  return [
    ...(mac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [item('Open Photo…', 'open', 'CmdOrCtrl+O'), item('Export…', 'export', 'CmdOrCtrl+S'), { type: 'separator' }, { role: mac ? 'close' : 'quit' }],
    },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [item('Toggle Before/After Mode', 'toggle-compare'), item('Fit to Window', 'fit'), item('Actual Size', 'actual-size'), { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}
