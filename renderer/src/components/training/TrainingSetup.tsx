// The Training view's setup: what to improve (only kinds with an installed base model), the base
// model, one or more folders of the user's photos (counted: photos, megapixels and how many are
// black-and-white or toned; a collection too small to hold some out, or with too few colour photos
// for Colourize, is refused with the reason), noisy or clean photos (denoising), the budget
// (minutes or until it stops improving) and a name; Start.
import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import IconButton from '@mui/material/IconButton';
import InputLabel from '@mui/material/InputLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Select from '@mui/material/Select';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import CreateNewFolderIcon from '@mui/icons-material/CreateNewFolder';
import FolderIcon from '@mui/icons-material/Folder';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import type { CallArgsOf, ModelInfo, TrainingScan } from '@api/contract';
import { useApi } from '../../api/ApiContext';
import { usePickPaths } from '../PathPicker';
import { errorMessage } from '../../lib/errors';
import { cleanPhotosLabel, trainingKinds } from '../../lib/trainingKinds';

/** ", 5 of them black-and-white or toned" (about, when judged from a sample); empty when none. */
function monochromeNote(scan: TrainingScan): string {
  const { count, measured } = scan.monochrome;
  if (count === 0) return '';
  const about = measured < scan.photos ? 'about ' : '';
  if (count === scan.photos) return scan.photos === 1 ? ', black-and-white or toned' : `, ${about}all black-and-white or toned`;
  return `, ${about}${count} of them black-and-white or toned`;
}

export function TrainingSetup({ models, onStart }: { models: readonly ModelInfo[]; onStart(args: CallArgsOf<'startTraining'>): Promise<void> }) {
  const api = useApi();
  const pick = usePickPaths();
  const kinds = useMemo(() => trainingKinds(models), [models]);
  const [kindId, setKindId] = useState('');
  const kind = kinds.find((k) => k.id === kindId) ?? kinds[0];
  const [baseId, setBaseId] = useState('');
  const base = kind?.bases.find((b) => b.id === baseId) ?? kind?.bases[0];
  const [folders, setFolders] = useState<string[]>([]);
  const [scan, setScan] = useState<TrainingScan | null>(null);
  const [scanning, setScanning] = useState(false);
  const [noisy, setNoisy] = useState(true);
  const [budgetKind, setBudgetKind] = useState<'minutes' | 'untilNoGain'>('minutes');
  const [minutes, setMinutes] = useState('20');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (folders.length === 0) {
      setScan(null);
      return;
    }
    let stale = false;
    setScanning(true);
    api
      .call('scanTrainingFolders', { folders })
      .then((s) => !stale && (setScan(s), setError(null)))
      .catch((e: unknown) => !stale && (setScan(null), setError(errorMessage(e))))
      .finally(() => !stale && setScanning(false));
    return () => {
      stale = true;
    };
  }, [api, folders]);

  const addFolder = async (): Promise<void> => {
    const picked = await pick('folder', 'Choose a folder of your photos');
    if (picked?.[0] && !folders.includes(picked[0])) setFolders([...folders, picked[0]]);
  };
  const minutesValue = Number(minutes);
  const problem = !kind
    ? 'No model to fine-tune is installed.'
    : folders.length === 0
      ? 'Add a folder of your photos.'
      : scanning || !scan
        ? 'Counting the photos…'
        : scan.tooSmall
          ? 'Too few photos to hold some out (above).'
          : kind.task === 'colorize' && scan.tooFewColour
            ? 'Too few colour photos to learn colourizing from (above).'
            : budgetKind === 'minutes' && !(minutesValue >= 0.05 && minutesValue <= 1440)
            ? 'The budget is 0.05 to 1440 minutes.'
            : null;

  const start = async (): Promise<void> => {
    if (!kind || !base) return;
    setStarting(true);
    setError(null);
    try {
      await onStart({
        task: kind.task,
        base: base.id,
        folders,
        noisy: kind.task === 'denoise' && noisy,
        budget: budgetKind === 'minutes' ? { minutes: minutesValue } : { untilNoGain: true },
        ...(name.trim() ? { name: name.trim() } : {}),
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  if (kinds.length === 0) {
    return <Alert severity="info">No model that can be fine-tuned is installed yet (denoise, enlarge, colourize or repair). Install or import one in Models first.</Alert>;
  }
  return (
    <Paper variant="outlined" sx={{ p: 2.5, display: 'flex', flexDirection: 'column', gap: 2.5, maxWidth: 760 }} aria-label="Training setup" component="section">
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <FormControl size="small" sx={{ minWidth: 280 }}>
          <InputLabel id="train-kind">What to improve</InputLabel>
          <Select labelId="train-kind" label="What to improve" value={kind?.id ?? ''} onChange={(e) => (setKindId(e.target.value), setBaseId(''))}>
            {kinds.map((k) => (
              <MenuItem key={k.id} value={k.id}>
                {k.label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" sx={{ minWidth: 280 }}>
          <InputLabel id="train-base">Start from</InputLabel>
          <Select labelId="train-base" label="Start from" value={base?.id ?? ''} onChange={(e) => setBaseId(e.target.value)}>
            {(kind?.bases ?? []).map((b) => (
              <MenuItem key={b.id} value={b.id}>
                {b.name} {b.source === 'user' ? '(yours)' : ''}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>

      <Box>
        <Typography variant="subtitle2">Your photos</Typography>
        <Typography variant="caption" color="text.secondary">
          Folders are searched with their subfolders. Part of the collection is held out automatically to check the result.
        </Typography>
        <List dense aria-label="Training folders">
          {folders.map((f) => (
            <ListItem key={f} secondaryAction={<IconButton edge="end" aria-label={`Remove ${f}`} onClick={() => setFolders(folders.filter((x) => x !== f))}><CloseIcon /></IconButton>}>
              <ListItemIcon sx={{ minWidth: 36 }}>
                <FolderIcon color="primary" />
              </ListItemIcon>
              <ListItemText primary={f} secondary={scan?.folders.find((x) => x.folder === f || x.folder.endsWith(f))?.photos !== undefined ? `${scan.folders.find((x) => x.folder === f || x.folder.endsWith(f))!.photos} photos` : undefined} />
            </ListItem>
          ))}
        </List>
        <Button startIcon={<CreateNewFolderIcon />} onClick={() => void addFolder()}>
          Add folder…
        </Button>
        {scan && (
          <Typography data-testid="training-scan" variant="body2" sx={{ mt: 1 }}>
            Found {scan.photos} photo{scan.photos === 1 ? '' : 's'}, {scan.megapixels.toFixed(1)} megapixels{monochromeNote(scan)}.
          </Typography>
        )}
        {scan && kind?.task === 'colorize' && !scan.tooSmall && (scan.tooFewColour || scan.monochrome.count > 0) && (
          <Alert severity={scan.tooFewColour ? 'warning' : 'info'} sx={{ mt: 1 }} data-testid="training-colour-only">
            {scan.tooFewColour ?? `Colourize learns from colour photos: the black-and-white and toned ones are left out.`}
          </Alert>
        )}
        {scan?.tooSmall && (
          <Alert severity="warning" sx={{ mt: 1 }} data-testid="training-too-small">
            {scan.tooSmall}
          </Alert>
        )}
        {scan && scan.unreadable.length > 0 && (
          <Alert severity="info" sx={{ mt: 1 }}>
            Left out (unreadable): {scan.unreadable.map((u) => `${u.file}: ${u.reason}`).join('; ')}
          </Alert>
        )}
      </Box>

      {kind?.task === 'denoise' && (
        <FormControl>
          <FormLabel id="train-noisy">Your photos are</FormLabel>
          <RadioGroup aria-labelledby="train-noisy" value={noisy ? 'noisy' : 'clean'} onChange={(e) => setNoisy(e.target.value === 'noisy')}>
            <FormControlLabel value="noisy" control={<Radio />} label="My photos are noisy (grain, scanner or JPEG noise; no clean originals): learn from the photos themselves" />
            <FormControlLabel value="clean" control={<Radio />} label={cleanPhotosLabel(kind)} />
          </RadioGroup>
        </FormControl>
      )}

      <FormControl>
        <FormLabel id="train-budget">Budget</FormLabel>
        <RadioGroup aria-labelledby="train-budget" value={budgetKind} onChange={(e) => setBudgetKind(e.target.value as 'minutes' | 'untilNoGain')}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <FormControlLabel value="minutes" control={<Radio />} label="At most" sx={{ mr: 0 }} />
            <TextField
              size="small"
              type="number"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
              disabled={budgetKind !== 'minutes'}
              slotProps={{ htmlInput: { min: 0.05, max: 1440, step: 'any', 'aria-label': 'Minutes' } }}
              sx={{ width: 100 }}
            />
            <Typography>minutes</Typography>
          </Box>
          <FormControlLabel value="untilNoGain" control={<Radio />} label="Until it stops improving on the held-out photos" />
        </RadioGroup>
      </FormControl>

      <TextField size="small" label="Name of the new model (optional)" value={name} onChange={(e) => setName(e.target.value)} placeholder={base ? `${base.name} (my photos)` : ''} sx={{ maxWidth: 420 }} />

      {error && <Alert severity="error">{error}</Alert>}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        <Button variant="contained" startIcon={<PlayArrowIcon />} disabled={problem !== null || starting} onClick={() => void start()} sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
          Start training
        </Button>
        <Typography variant="body2" color="text.secondary" data-testid="training-problem">
          {problem ?? 'Training runs in the background at low priority; restorations keep working but share the CPU.'}
        </Typography>
      </Box>
    </Paper>
  );
}
