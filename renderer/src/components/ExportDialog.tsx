// Export of the restored image: format, bit depth, quality and metadata, and where to save it
// (native save dialog in Electron; folder + file name inside the allowed folders on the web).
// A name that is taken is never replaced silently: the server answers 'exists' and a confirm
// dialog offers Replace, Keep both ("name (1).png") or Cancel; the system save dialog of Electron
// asks on its own. An input photo is never replaced (the server refuses, whatever the answer).
// The format, quality, metadata switch and folder of the last export are remembered
// (lib/exportMemory); the bit depth follows the photo (a 16-bit scan exports in 16 bits).
import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import { FormatSelect } from './FormatSelect';
import Slider from '@mui/material/Slider';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import type { AppInfo, ExportOptions, ImageInfo } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { usePickPaths } from './PathPicker';
import { errorMessage, hasErrorCode } from '../lib/errors';
import { baseName } from '../lib/format';
import { dirName, suggestedFolder } from '../lib/userFolders';
import { defaultDepth, loadExportChoice, saveExportChoice, type ExportFormat as Format } from '../lib/exportMemory';

type IfExists = 'ask' | 'replace' | 'keep-both';
const EXT: Record<Format, string> = { png: 'png', jpg: 'jpg', tif: 'tif', webp: 'webp' };

interface Props {
  app: AppInfo;
  original: ImageInfo;
  result: ImageInfo;
  defaults: ExportOptions;
  onClose(): void;
  onSaved(image: ImageInfo): void;
}

export function ExportDialog({ app, original, result, defaults, onClose, onSaved }: Props) {
  const api = useApi();
  const pick = usePickPaths();
  const [remembered] = useState(() => loadExportChoice(defaults));
  const [format, setFormat] = useState<Format>(remembered.format);
  /** null: not chosen in this dialog, so the photo's own depth (defaultDepth). */
  const [chosenDepth, setDepth] = useState<8 | 16 | null>(null);
  const depth = chosenDepth ?? defaultDepth(original.depth, format, defaults.depth ?? 8);
  const [quality, setQuality] = useState(remembered.quality);
  const [keepMetadata, setKeep] = useState(remembered.keepMetadata);
  // The folder last exported into while it is still allowed; else next to the original when it
  // lies in a folder the user chose; never a folder of the app's own (lib/userFolders).
  const [folder, setFolder] = useState(() => suggestedFolder(app, remembered.folder, dirName(original.path)));
  const stem = baseName(original.path).replace(/\.[^.]+$/, '');
  const [name, setName] = useState(`${stem}-restored`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The taken path the user is asked about (Replace / Keep both / Cancel). */
  const [taken, setTaken] = useState<string | null>(null);
  const lossy = format === 'jpg' || format === 'webp';
  const depthAllowed = format === 'png' || format === 'tif';

  const write = async (output: string, ifExists: IfExists): Promise<void> => {
    setBusy(true);
    try {
      const saved = await api.call('exportImage', {
        source: result.path,
        original: original.path,
        output,
        options: { format, depth: depthAllowed ? depth : 8, quality: lossy ? quality : undefined, keepMetadata },
        ifExists,
      });
      saveExportChoice({ format, quality, keepMetadata, ...(app.shell === 'web' ? { folder: dirName(output) } : {}) });
      onSaved(saved);
    } catch (e) {
      if (hasErrorCode(e, 'exists')) setTaken(output);
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async (): Promise<void> => {
    setError(null);
    if (app.shell === 'electron') {
      // The system save dialog has already asked before a file is replaced.
      const picked = await api.call('chooseSavePath', { defaultName: `${name}.${EXT[format]}`, format });
      if (picked) await write(picked, 'replace');
      return;
    }
    await write(`${folder.replace(/[\\/]$/, '')}/${name}.${EXT[format]}`, 'ask');
  };

  const answer = (ifExists: IfExists | null): void => {
    const output = taken;
    setTaken(null);
    if (output && ifExists) void write(output, ifExists);
  };

  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth aria-labelledby="export-title">
      <DialogTitle id="export-title">Export restored image</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <Box sx={{ display: 'flex', gap: 1.5 }}>
          <FormatSelect<Format> id="export-format" value={format} onChange={setFormat} fullWidth />
          <FormControl size="small" fullWidth disabled={!depthAllowed}>
            <InputLabel id="export-depth">Bit depth</InputLabel>
            <Select labelId="export-depth" label="Bit depth" value={depthAllowed ? depth : 8} onChange={(e) => setDepth(Number(e.target.value) as 8 | 16)}>
              <MenuItem value={8}>8 bits</MenuItem>
              <MenuItem value={16}>16 bits</MenuItem>
            </Select>
          </FormControl>
        </Box>
        {lossy && (
          <Box>
            <Typography variant="caption" color="text.secondary" id="export-quality">
              Quality {quality}
            </Typography>
            <Slider value={quality} min={50} max={100} onChange={(_, v) => setQuality(v as number)} slotProps={{ input: { 'aria-labelledby': 'export-quality' } }} />
          </Box>
        )}
        <FormControlLabel control={<Switch checked={keepMetadata} onChange={(_, v) => setKeep(v)} />} label="Keep metadata (EXIF, colour profile, XMP)" />
        {app.shell === 'web' && (
          <>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <TextField size="small" label="Folder" value={folder} fullWidth slotProps={{ input: { readOnly: true } }} />
              <Button variant="outlined" onClick={() => void pick('folder').then((p) => p?.[0] && setFolder(p[0]))}>
                Change
              </Button>
            </Box>
            <TextField size="small" label="File name" value={name} onChange={(e) => setName(e.target.value)} helperText={`.${EXT[format]} is added`} />
          </>
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={busy || !name} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save'}
        </Button>
      </DialogActions>
      <Dialog open={taken !== null} onClose={() => answer(null)} maxWidth="xs" aria-labelledby="replace-title" aria-describedby="replace-text">
        <DialogTitle id="replace-title">Replace {taken ? baseName(taken) : ''}?</DialogTitle>
        <DialogContent>
          <Typography id="replace-text" variant="body2">
            A file with this name already exists in {taken ? dirName(taken) : ''}. Replacing it overwrites its contents; Keep both saves under a new name.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => answer(null)}>Cancel</Button>
          <Button onClick={() => answer('keep-both')}>Keep both</Button>
          <Button color="warning" variant="contained" onClick={() => answer('replace')}>
            Replace
          </Button>
        </DialogActions>
      </Dialog>
    </Dialog>
  );
}
