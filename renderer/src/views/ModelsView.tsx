// The Models view: installed models per task with parameters, measured quality and source, the
// provider they run on, tasks still without a trained model, and import of an ONNX file into the
// user's model folder (validated and hashed by the main side; never into the app bundle).
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useApi } from '../api/ApiContext';
import { useAppData } from '../hooks/useAppData';
import { usePickPaths } from '../components/PathPicker';
import { ProviderChip } from '../components/ProviderChip';
import { CHAIN_ORDER, TASK_LABELS } from '../lib/chain';
import { errorMessage } from '../lib/errors';
import { formatCount } from '../lib/format';

export function ModelsView() {
  const api = useApi();
  const pick = usePickPaths();
  const { models, reloadModels } = useAppData();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

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
              <TableCell>Measured quality</TableCell>
              <TableCell>Source</TableCell>
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
                  {TASK_LABELS[m.task].title}
                  {m.scale > 1 ? ` ${m.scale}×` : ''}
                </TableCell>
                <TableCell>{m.architecture}</TableCell>
                <TableCell align="right">{formatCount(m.parameters)}</TableCell>
                <TableCell>
                  {m.evaluation.length === 0 ? (
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
                      />
                    ))
                  )}
                </TableCell>
                <TableCell>
                  <Chip size="small" label={m.source === 'app' ? 'Built in' : 'Yours'} color={m.source === 'app' ? 'default' : 'primary'} variant="outlined" />
                </TableCell>
              </TableRow>
            ))}
            {models.length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>
                  <Typography color="text.secondary" sx={{ py: 2, textAlign: 'center' }}>
                    No models installed yet.
                  </Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Paper>
      {missing.length > 0 && (
        <Alert severity="info" variant="outlined">
          No trained model yet for: {missing.map((t) => TASK_LABELS[t].title).join(', ')}. These steps stay off until a model is installed or imported.
        </Alert>
      )}
    </Box>
  );
}
