// Split a flatbed scan holding several prints into one straightened file per print: the prints
// the view found when the scan opened (findPrints, hooks/useScanPrints) are outlined and numbered
// over the scan, so the user sees what will be cut before anything is written; Save writes `<scan>-1.<ext>`, ... into
// the chosen folder (splitScan). Taken names are never replaced silently: the server answers
// 'exists' and the dialog asks. The prints written are listed, each one click from being opened.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AppInfo, ExportOptions, ImageInfo, ScanPrints } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { usePickPaths } from './PathPicker';
import { FormatSelect } from './FormatSelect';
import { errorMessage, hasErrorCode } from '../lib/errors';
import { baseName } from '../lib/format';
import { dirName, suggestedFolder } from '../lib/userFolders';

interface Props {
  app: AppInfo;
  scan: ImageInfo;
  /** The prints found on the scan (null while the search runs), or why the search failed. */
  found: ScanPrints | null;
  findError: string | null;
  defaults: ExportOptions;
  onClose(): void;
  /** Open one of the prints written (the dialog closes). */
  onOpenPrint(path: string): void;
}

/** The corners of a print's rectangle (centre, size, clockwise turn in degrees) as an SVG points list. */
function outline(p: ScanPrints['prints'][number]): string {
  const a = (p.angle * Math.PI) / 180;
  const ux = Math.cos(a), uy = Math.sin(a);
  const hw = p.width / 2, hh = p.height / 2;
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]]
    .map(([su, sv]) => `${p.cx + su! * hw * ux - sv! * hh * uy},${p.cy + su! * hw * uy + sv! * hh * ux}`)
    .join(' ');
}

/** The server's reason for finding no print, as a sentence. */
function nothingFound(found: ScanPrints): string {
  const reason = found.reason ?? 'no print found';
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

export function SplitScanDialog({ app, scan, found, findError, defaults, onClose, onOpenPrint }: Props) {
  const api = useApi();
  const pick = usePickPaths();
  const [error, setError] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportOptions['format']>(defaults.format);
  const [folder, setFolder] = useState(() => suggestedFolder(app, dirName(scan.path)));
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [written, setWritten] = useState<ImageInfo[] | null>(null);
  const stem = baseName(scan.path).replace(/\.[^.]+$/, '');
  const count = found?.prints.length ?? 0;

  const save = async (ifExists: 'ask' | 'replace'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      // the prints keep the scan's bit depth where the format holds it (the server writes JPEG and WebP at 8)
      const { outputs } = await api.call('splitScan', {
        path: scan.path,
        folder,
        options: { format, depth: scan.depth === 16 ? 16 : 8, ...(defaults.quality !== undefined ? { quality: defaults.quality } : {}), keepMetadata: defaults.keepMetadata ?? true },
        ifExists,
      });
      setWritten(outputs);
    } catch (e) {
      if (hasErrorCode(e, 'exists')) setAsking(true);
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const names = count > 0 ? `${stem}-1${count > 1 ? ` … ${stem}-${count}` : ''}` : '';

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="split-title">
      <DialogTitle id="split-title">Split scan into prints</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        {!found && !findError && (
          <Box>
            <Typography variant="body2" color="text.secondary">Looking for prints on {scan.name}…</Typography>
            <LinearProgress sx={{ mt: 1 }} />
          </Box>
        )}
        {found && (
          <>
            <Typography variant="body2" data-testid="split-found">
              {count > 0 ? `Found ${count} print${count === 1 ? '' : 's'} on ${scan.name}${found.irregular > 0 ? `, and ${found.irregular} region${found.irregular === 1 ? '' : 's'} too far from a rectangle to cut out (prints touching?)` : ''}.` : nothingFound(found)}
            </Typography>
            <Box sx={{ position: 'relative', lineHeight: 0, border: 1, borderColor: 'divider' }}>
              <img src={scan.url} alt="The scan, its prints outlined" style={{ width: '100%', maxHeight: 320, objectFit: 'contain' }} />
              <svg viewBox={`0 0 ${found.width} ${found.height}`} preserveAspectRatio="xMidYMid meet" style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }} aria-hidden>
                {found.prints.map((p, i) => (
                  <g key={i}>
                    <polygon points={outline(p)} fill="rgba(255,140,0,0.12)" stroke="#ff8c00" strokeWidth={Math.max(found.width, found.height) / 250} />
                    <text x={p.cx} y={p.cy} fontSize={Math.min(p.width, p.height) / 4} fill="#ff8c00" textAnchor="middle" dominantBaseline="central" fontWeight={700}>
                      {i + 1}
                    </text>
                  </g>
                ))}
              </svg>
            </Box>
          </>
        )}
        {found && count > 0 && !written && (
          <>
            <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center' }}>
              <FormatSelect<ExportOptions['format']> id="split-format" value={format} onChange={setFormat} withSame sx={{ minWidth: 150 }} />
              <TextField size="small" label="Folder" value={folder} fullWidth slotProps={{ input: { readOnly: true } }} />
              <Button variant="outlined" onClick={() => void pick('folder').then((p) => p?.[0] && setFolder(p[0]))}>
                Change
              </Button>
            </Box>
            <Typography variant="caption" color="text.secondary">
              Saved as {names}, straightened, in reading order. The scan itself is not changed. White
              borders show on a dark background only: scan white-bordered prints under a black sheet to keep them.
            </Typography>
          </>
        )}
        {written && (
          <Box>
            <Alert severity="success">Saved {written.length} print{written.length === 1 ? '' : 's'} in {dirName(written[0]?.path ?? folder)}.</Alert>
            <List dense aria-label="Prints saved">
              {written.map((img) => (
                <ListItem key={img.path} secondaryAction={<Button size="small" onClick={() => onOpenPrint(img.path)} aria-label={`Open ${img.name}`}>Open</Button>}>
                  <ListItemText primary={img.name} secondary={`${img.width} × ${img.height}`} />
                </ListItem>
              ))}
            </List>
          </Box>
        )}
        {(error ?? findError) && <Alert severity="error">{error ?? findError}</Alert>}
      </DialogContent>
      <DialogActions>
        {written ? (
          <Button variant="contained" onClick={onClose}>Done</Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="contained" disabled={busy || count === 0 || !folder} onClick={() => void save('ask')}>
              {busy ? 'Saving…' : `Save ${count} print${count === 1 ? '' : 's'}`}
            </Button>
          </>
        )}
      </DialogActions>
      <Dialog open={asking} onClose={() => setAsking(false)} maxWidth="xs" aria-labelledby="split-replace-title">
        <DialogTitle id="split-replace-title">Replace the prints saved before?</DialogTitle>
        <DialogContent>
          <Typography variant="body2">
            {folder} already holds files named {names}. Replacing overwrites them; Cancel keeps them (choose another folder to save these).
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAsking(false)}>Cancel</Button>
          <Button
            color="warning"
            variant="contained"
            onClick={() => {
              setAsking(false);
              void save('replace');
            }}
          >
            Replace
          </Button>
        </DialogActions>
      </Dialog>
    </Dialog>
  );
}
