// What the saved session could not bring back (a photo moved away, a result cleared, an unreadable
// session file) or could not save, as one dismissable warning above the views.
import Alert from '@mui/material/Alert';
import { useSession } from '../hooks/useSession';

export function SessionNotices() {
  const { notices, dismissNotices } = useSession();
  if (notices.length === 0) return null;
  return (
    <Alert severity="warning" sx={{ borderRadius: 0 }} onClose={dismissNotices} data-testid="session-notice">
      {notices.map((n) => (
        <div key={n}>{n}</div>
      ))}
    </Alert>
  );
}
