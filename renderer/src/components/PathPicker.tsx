// Choosing files and folders: native dialogs in Electron; in the web shell an in-app browser of
// the folders the user allowed (`restore serve --allow`), via the listDir call. Views call
// usePickPaths()(mode) and get absolute paths, or null when the user cancelled. Mode 'browse'
// only looks (a batch's output folder): every file is listed, nothing is picked, and it answers
// null when closed (in Electron it opens the folder in the system's file manager).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Checkbox from '@mui/material/Checkbox';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';
import FolderIcon from '@mui/icons-material/Folder';
import ImageIcon from '@mui/icons-material/Image';
import InsertDriveFileIcon from '@mui/icons-material/InsertDriveFile';
import type { AppInfo, DirListing } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { errorMessage } from '../lib/errors';

export type PickMode = 'image' | 'images' | 'folder' | 'model' | 'browse';
type Pick = (mode: PickMode, title?: string, startAt?: string) => Promise<string[] | null>;

const PickerContext = createContext<Pick | null>(null);

export function usePickPaths(): Pick {
  const pick = useContext(PickerContext);
  if (!pick) throw new Error('usePickPaths outside <PathPickerProvider>');
  return pick;
}

const TITLES: Record<PickMode, string> = {
  image: 'Open an image',
  images: 'Choose images',
  folder: 'Choose a folder',
  model: 'Choose an ONNX model',
  browse: 'Browse a folder',
};

export function PathPickerProvider({ app, children }: { app: AppInfo | null; children: ReactNode }) {
  const api = useApi();
  const [request, setRequest] = useState<{ mode: PickMode; title: string; startAt?: string } | null>(null);
  const resolver = useRef<((paths: string[] | null) => void) | null>(null);

  const pick = useCallback<Pick>(
    async (mode, title, startAt) => {
      if (app?.shell === 'electron') {
        if (mode !== 'browse') return api.call('chooseFiles', { mode, title });
        if (startAt) await api.call('revealPath', { path: startAt });
        return null;
      }
      return new Promise((resolve) => {
        resolver.current = resolve;
        setRequest({ mode, title: title ?? TITLES[mode], ...(startAt ? { startAt } : {}) });
      });
    },
    [api, app],
  );
  const finish = (paths: string[] | null): void => {
    resolver.current?.(paths);
    resolver.current = null;
    setRequest(null);
  };

  return (
    <PickerContext.Provider value={pick}>
      {children}
      {request && <BrowserDialog mode={request.mode} title={request.title} startAt={request.startAt} onDone={finish} />}
    </PickerContext.Provider>
  );
}

function BrowserDialog({ mode, title, startAt, onDone }: { mode: PickMode; title: string; startAt?: string; onDone(paths: string[] | null): void }) {
  const api = useApi();
  const [listing, setListing] = useState<DirListing | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  // A folder being opened: "Choose this folder" waits for it (it would choose the folder still
  // shown), and only the last folder clicked is shown when listings come back out of order.
  const [loading, setLoading] = useState(false);
  const request = useRef(0);

  const open = (path?: string): void => {
    const n = ++request.current;
    setError(null);
    setLoading(true);
    api
      .call('listDir', path ? { path } : {})
      .then((l) => {
        if (n !== request.current) return;
        setListing(l);
        setSelected([]);
      })
      .catch((e: unknown) => n === request.current && setError(errorMessage(e)))
      .finally(() => n === request.current && setLoading(false));
  };
  useEffect(() => open(startAt), [startAt]);

  const visible = (listing?.entries ?? []).filter((e) => {
    if (e.kind === 'dir') return true;
    if (mode === 'model') return e.name.toLowerCase().endsWith('.onnx');
    if (mode === 'folder') return e.kind === 'image';
    if (mode === 'browse') return true;
    return e.kind === 'image';
  });
  const multi = mode === 'images';
  const crumbs = listing?.path ? listing.path.split('/').filter(Boolean) : [];

  return (
    <Dialog open onClose={() => onDone(null)} fullWidth maxWidth="sm" aria-labelledby="picker-title">
      <DialogTitle id="picker-title">{title}</DialogTitle>
      <DialogContent dividers sx={{ p: 0 }}>
        <Breadcrumbs sx={{ px: 2, py: 1 }} maxItems={6}>
          <Link component="button" underline="hover" onClick={() => open()}>
            Allowed folders
          </Link>
          {crumbs.map((c, i) => (
            <Link key={i} component="button" underline="hover" onClick={() => open('/' + crumbs.slice(0, i + 1).join('/'))}>
              {c}
            </Link>
          ))}
        </Breadcrumbs>
        <LinearProgress aria-label="Opening the folder" sx={{ visibility: loading ? 'visible' : 'hidden' }} />
        {error && <Alert severity="error" sx={{ mx: 2, mb: 1 }}>{error}</Alert>}
        <List dense sx={{ height: 340, overflow: 'auto' }} aria-label="Folder contents">
          {visible.map((e) => {
            const isDir = e.kind === 'dir';
            const checked = selected.includes(e.path);
            return (
              <ListItemButton
                key={e.path}
                disabled={(mode === 'folder' || mode === 'browse') && !isDir}
                selected={checked}
                onClick={() => {
                  if (isDir) open(e.path);
                  else setSelected(multi ? (checked ? selected.filter((p) => p !== e.path) : [...selected, e.path]) : [e.path]);
                }}
                onDoubleClick={() => !isDir && !multi && onDone([e.path])}
              >
                <ListItemIcon sx={{ minWidth: 36 }}>
                  {isDir ? <FolderIcon color="primary" /> : e.kind === 'image' ? <ImageIcon /> : <InsertDriveFileIcon />}
                </ListItemIcon>
                <ListItemText primary={e.name} />
                {multi && !isDir && <Checkbox edge="end" checked={checked} tabIndex={-1} slotProps={{ input: { 'aria-label': `Select ${e.name}` } }} />}
              </ListItemButton>
            );
          })}
          {listing && visible.length === 0 && (
            <Typography color="text.secondary" sx={{ p: 3, textAlign: 'center' }}>
              This folder is empty.
            </Typography>
          )}
        </List>
        {listing && !listing.path && (
          <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2, py: 1 }} data-testid="allow-hint">
            Photos in another folder? Start the app with it allowed: <code>npm start -- --allow &lt;folder&gt;</code> (or{' '}
            <code>restore serve --allow &lt;folder&gt;</code>; repeatable).
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1, pl: 1 }} noWrap>
          {mode === 'folder' || mode === 'browse' ? listing?.path || 'Open a folder' : `${selected.length} selected`}
        </Typography>
        {mode === 'browse' ? (
          <Button variant="contained" onClick={() => onDone(null)}>
            Close
          </Button>
        ) : (
          <Button onClick={() => onDone(null)}>Cancel</Button>
        )}
        {mode === 'browse' ? null : mode === 'folder' ? (
          <Button variant="contained" disabled={loading || !listing?.path} onClick={() => listing?.path && onDone([listing.path])}>
            Choose this folder
          </Button>
        ) : (
          <Button variant="contained" disabled={loading || selected.length === 0} onClick={() => onDone(selected)}>
            {multi ? 'Add' : 'Open'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
