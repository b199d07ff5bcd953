// The Models view: installed models per task with parameters, measured quality and source, the
// provider they run on, tasks still without a trained model, and import of an ONNX file into the
// user's model folder (validated and hashed by the main side; never into the app bundle). The
// user's models can be renamed and removed; a fine-tuned one shows its lineage (base -> fine-tune,
// the photo folders) and whether it is used in place of its base by default (roll back: off); a
// built-in model's training stages are one line, the whole recipe on hover.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import type { ModelInfo } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { useAppData } from '../hooks/useAppData';
import { usePickPaths } from '../components/PathPicker';
import { ProviderChip } from '../components/ProviderChip';
import { CHAIN_ORDER, TASK_LABELS } from '../lib/chain';
import { errorMessage } from '../lib/errors';
import { formatCount } from '../lib/format';
import { OLD_PRINTS } from '../lib/trainingKinds';

/** What the quality column's numbers mean, shown under the table. */
const QUALITY_HELP =
  'Measured quality: PSNR in dB between the model\'s result and the clean original, averaged over a public test set of photos (σ: the strength of the noise that was added; ×: the enlargement). Higher is better: 0.5 dB is visible side by side, 1 dB clearly. The damage detector is scored by F1 instead (1 = every scratch found, nothing else marked).';

function scoreTitle(e: ModelInfo['evaluation'][number]): string {
  const what = e.sigma !== undefined ? `photos with noise of strength σ ${e.sigma} added` : e.scale !== undefined ? `photos shrunk ${e.scale}× and enlarged back` : (e.protocol ?? 'its photos');
  return `${e.psnr.toFixed(2)} dB on the ${e.set} test set (${what}); higher is better`;
}

export function ModelsView() {
  const api = useApi();
  const pick = usePickPaths();
  const { models, reloadModels, updateSettings } = useAppData();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [renaming, setRenaming] = useState<{ model: ModelInfo; name: string } | null>(null);
  const [removing, setRemoving] = useState<ModelInfo | null>(null);
  const nameOf = (id: string): string => models.find((m) => m.id === id)?.name ?? id;

  const act = async (f: () => Promise<string>): Promise<void> => {
    try {
      const text = await f();
      await reloadModels();
      setMessage({ ok: true, text });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  const setDefault = (m: ModelInfo, on: boolean): Promise<void> =>
    act(async () => {
      const base = m.lineage!.base;
      const s = await api.call('setDefaultModel', { base, model: on ? m.id : null });
      await updateSettings({ defaultModels: s.defaultModels ?? {} });
      return on ? `${m.name} is now used instead of ${nameOf(base)} by default.` : `Back to ${nameOf(base)} as the default (${m.name} stays installed).`;
    });

  const importModel = async (): Promise<void> => {
    const paths = await pick('model');
    if (!paths?.[0]) return;
    try {
      const m = await api.call('importModel', { path: paths[0] });
      await reloadModels();
      setMessage({ ok: true, text: `Imported ${m.name} (${m.task}).` });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  const missing = CHAIN_ORDER.filter((t) => !models.some((m) => m.task === t));

  return (
    <Box sx={{ flex: 1, p: 2, overflow: 'auto', display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          Models
        </Typography>
        <ProviderChip />
        <Button variant="contained" startIcon={<UploadFileIcon />} onClick={() => void importModel()}>
          Import ONNX model…
        </Button>
      </Box>
      {message && (
        <Alert severity={message.ok ? 'success' : 'error'} onClose={() => setMessage(null)}>
          {message.text}
        </Alert>
      )}
      <Paper variant="outlined">
        <Table size="small" aria-label="Installed models">
          <TableHead>
            <TableRow>
              <TableCell>Model</TableCell>
              <TableCell>Task</TableCell>
              <TableCell>Architecture</TableCell>
              <TableCell align="right">Parameters</TableCell>
              <TableCell title={QUALITY_HELP}>Measured quality</TableCell>
              <TableCell>Source</TableCell>
              <TableCell align="right">Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {models.map((m) => (
              <TableRow key={`${m.source}-${m.id}`} hover>
                <TableCell>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {m.name}
                  </Typography>
                  <Typography variant="caption" color="text.secondary">
                    {m.id}
                  </Typography>
                </TableCell>
                <TableCell>
                  {m.oldPrint ? OLD_PRINTS : TASK_LABELS[m.task].title}
                  {m.scale > 1 ? ` ${m.scale}×` : ''}
                </TableCell>
                <TableCell>{m.architecture}</TableCell>
                <TableCell align="right">{m.parameters > 0 ? formatCount(m.parameters) : <Typography variant="caption" color="text.secondary" title="Imported before sizes were counted: import it again to see it">unknown</Typography>}</TableCell>
                <TableCell>
                  {m.detection && m.detection.length > 0 ? (
                    m.detection.slice(0, 3).map((e) => (
                      <Chip
                        key={e.set}
                        size="small"
                        variant="outlined"
                        sx={{ mr: 0.5, mb: 0.5 }}
                        label={`${e.set}: F1 ${e.f1.toFixed(2)}`}
                        title={`F1 ${e.f1.toFixed(2)} on the ${e.set} test set with thin scratches drawn on it (1-3 px, light and dark): how well the damage it marks matches the scratches, within 2 pixels (1 = all found, nothing else marked)`}
                      />
                    ))
                  ) : m.evaluation.length === 0 ? (
                    <Typography variant="caption" color="text.secondary">
                      not evaluated
                    </Typography>
                  ) : (
                    m.evaluation.slice(0, 3).map((e, i) => (
                      <Chip
                        key={i}
                        size="small"
                        variant="outlined"
                        sx={{ mr: 0.5, mb: 0.5 }}
                        label={`${e.set}${e.sigma !== undefined ? ` σ${e.sigma}` : ''}${e.scale !== undefined ? ` ×${e.scale}` : ''}: ${e.psnr.toFixed(2)} dB`}
                        title={scoreTitle(e)}
                      />
                    ))
                  )}
                </TableCell>
                <TableCell>
                  <Chip size="small" label={m.source === 'app' ? 'Built in' : 'Yours'} color={m.source === 'app' ? 'default' : 'primary'} variant="outlined" />
                  {m.lineage && m.source === 'user' && (
                    <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.5 }} data-testid={`lineage-${m.id}`}>
                      {nameOf(m.lineage.base)} → {m.name}
                      <br />
                      fine-tuned on {m.lineage.data}
                      {m.lineage.date ? `, ${m.lineage.date.slice(0, 10)}` : ''}
                    </Typography>
                  )}
                  {m.lineage && m.source === 'app' && (
                    // A built-in model's stages are a recipe, not a user's photo folders: one line, the whole story on hover.
                    <Tooltip title={`${nameOf(m.lineage.base)} → ${m.name}, fine-tuned on ${m.lineage.data}`}>
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.5 }} data-testid={`lineage-${m.id}`}>
                        Trained in stages{m.lineage.date ? `, ${m.lineage.date.slice(0, 10)}` : ''}
                      </Typography>
                    </Tooltip>
                  )}
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {m.lineage && m.source === 'user' && (
                    <Tooltip title={`Use ${m.name} wherever ${nameOf(m.lineage.base)} would be the default; off = roll back to the base`}>
                      <FormControlLabel
                        control={<Switch size="small" checked={m.defaultFor !== undefined} onChange={(e) => void setDefault(m, e.target.checked)} />}
                        label="Default"
                        slotProps={{ typography: { variant: 'caption' } }}
                      />
                    </Tooltip>
                  )}
                  {m.source === 'user' && (
                    <>
                      <IconButton size="small" aria-label="Rename model" title={`Rename ${m.name}`} onClick={() => setRenaming({ model: m, name: m.name })}>
                        <EditIcon fontSize="small" />
                      </IconButton>
                      <IconButton size="small" aria-label="Remove model" title={`Remove ${m.name}`} onClick={() => setRemoving(m)}>
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
            {models.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>
                  <Typography color="text.secondary" sx={{ py: 2, textAlign: 'center' }}>
                    No models installed yet.
                  </Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Paper>
      <Typography variant="caption" color="text.secondary" data-testid="quality-help">
        {QUALITY_HELP}
      </Typography>
      {renaming && (
        <Dialog open onClose={() => setRenaming(null)} aria-labelledby="rename-title">
          <DialogTitle id="rename-title">Rename model</DialogTitle>
          <DialogContent>
            <TextField autoFocus fullWidth size="small" label="Name" value={renaming.name} onChange={(e) => setRenaming({ ...renaming, name: e.target.value })} sx={{ mt: 1 }} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setRenaming(null)}>Cancel</Button>
            <Button
              variant="contained"
              disabled={!renaming.name.trim()}
              onClick={() => {
                const { model, name } = renaming;
                setRenaming(null);
                void act(async () => `Renamed to ${(await api.call('renameModel', { id: model.id, name: name.trim() })).name}.`);
              }}
            >
              Rename
            </Button>
          </DialogActions>
        </Dialog>
      )}
      {removing && (
        <Dialog open onClose={() => setRemoving(null)} aria-labelledby="remove-title">
          <DialogTitle id="remove-title">Remove {removing.name}?</DialogTitle>
          <DialogContent>
            <Typography>Its file, manifest entry and model card are deleted from your model folder.{removing.defaultFor ? ` ${nameOf(removing.defaultFor)} becomes the default again.` : ''}</Typography>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
            <Button
              color="error"
              variant="contained"
              onClick={() => {
                const m = removing;
                setRemoving(null);
                void act(async () => {
                  await api.call('removeModel', { id: m.id });
                  await updateSettings({});
                  return `Removed ${m.name}.`;
                });
              }}
            >
              Remove
            </Button>
          </DialogActions>
        </Dialog>
      )}
      {missing.length > 0 && (
        <Alert severity="info" variant="outlined">
          No trained model yet for: {missing.map((t) => TASK_LABELS[t].title).join(', ')}. These steps stay off until a model is installed or imported.
        </Alert>
      )}
    </Box>
  );
}
