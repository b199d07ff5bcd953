// Tells the user when the engine process was restarted (a crash or out-of-memory abort; the file
// is retried or reported failed) and when it logs an error, as a dismissable notice.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import { useApiEvents } from '../api/ApiContext';

export function EngineNotices() {
  const [notice, setNotice] = useState<{ severity: 'warning' | 'error'; text: string } | null>(null);
  useApiEvents((e) => {
    if (e.type === 'engine-restart') setNotice({ severity: 'warning', text: `The restoration engine ${e.reason.replace(/^engine process /, 'process ')}.` });
    if (e.type === 'log' && e.level === 'error') setNotice({ severity: 'error', text: e.message });
  });
  return (
    <Snackbar open={notice !== null} autoHideDuration={8000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'top', horizontal: 'center' }}>
      {notice ? (
        <Alert severity={notice.severity} variant="filled" onClose={() => setNotice(null)} data-testid="engine-notice">
          {notice.text}
        </Alert>
      ) : undefined}
    </Snackbar>
  );
}
