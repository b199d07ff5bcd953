// Settings' "Kept results": how much the restored results kept in the user's data folder take (so
// that a reload or restart loses none), their bound, and Clear (asked again when some were never
// exported). Refreshed each time the Settings view is shown.
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import DeleteSweepIcon from '@mui/icons-material/DeleteSweep';
import type { KeptResultsInfo } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { errorMessage } from '../lib/errors';
import { formatBytes } from '../lib/format';

export function KeptResults({ active }: { active: boolean }) {
  const api = useApi();
  const [info, setInfo] = useState<KeptResultsInfo | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    setAsking(false);
    api.call('getKeptResults', {}).then(setInfo, (e: unknown) => setError(errorMessage(e)));
  }, [api, active]);

  const clear = (): void => {
    setAsking(false);
    setError(null);
    api.call('clearKeptResults', {}).then(setInfo, (e: unknown) => setError(errorMessage(e)));
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Typography variant="body2" color="text.secondary">
        Restored results stay in your data folder until you clear them, so a reload or a restart loses none. Past the limit the oldest go first, exported ones before the others.
      </Typography>
      {info && (
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="body2" data-testid="kept-results">
            {formatBytes(info.bytes)} in {info.count} result{info.count === 1 ? '' : 's'}
            {info.unexported > 0 ? ` (${info.unexported} not exported)` : ''} of at most {formatBytes(info.capBytes)}
          </Typography>
          <Button size="small" variant="outlined" color="warning" startIcon={<DeleteSweepIcon />} disabled={info.count === 0} onClick={() => (info.unexported > 0 ? setAsking(true) : clear())}>
            Clear kept results
          </Button>
        </Box>
      )}
      {info && (
        <Typography variant="caption" color="text.secondary" sx={{ wordBreak: 'break-all' }}>
          {info.dir}
        </Typography>
      )}
      {asking && info && (
        <Alert
          ref={(el: HTMLDivElement | null) => el?.scrollIntoView({ block: 'nearest' })}
          severity="warning"
          action={
            <>
              <Button color="inherit" size="small" onClick={clear}>
                Clear
              </Button>
              <Button color="inherit" size="small" onClick={() => setAsking(false)}>
                Cancel
              </Button>
            </>
          }
        >
          {info.unexported} result{info.unexported === 1 ? ' has' : 's have'} never been exported and will be gone. Clear anyway?
        </Alert>
      )}
      {error && <Alert severity="error">{error}</Alert>}
    </Box>
  );
}
