// The result card of a finished training: base vs fine-tuned PSNR on each held-out photo and the
// mean, the pictures side by side, and Adopt under a name the user chooses (installs it in the
// user's model folder; optionally the default in place of its base). A model that did not beat
// its base cannot be adopted: the card says so and why.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import type { TrainingJobInfo } from '@api/contract';
import { baseName } from '../../lib/format';

const db = (v: number | null): string => (v === null ? '—' : `${v.toFixed(2)} dB`);
/** What the scores of photos without clean originals compare against ('self' reference). */
const selfMeasure = (what: 'photo' | 'print', against: string): string =>
  `Your ${what}s have no clean originals, so these scores compare against a cleaned, reduced copy of each held-out ${what} (made by the base model)${against}: they show the trend, not an absolute quality. Look at the pictures too.`;
/** The trainer's reasons are clauses: end one as a sentence. */
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);
const gain = (a: number | null, b: number): string => (a === null ? '—' : `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(2)} dB`);

export function TrainingResult({ job, oldPrintBase = false, busy, error, onAdopt, onDiscard }: {
  job: TrainingJobInfo; busy: boolean; error: string | null;
  /** The base is an old-print restorer: its noisy-photo scores are on prints made old again. */
  oldPrintBase?: boolean;
  onAdopt(name: string, makeDefault: boolean): void; onDiscard(): void;
}) {
  const [name, setName] = useState(job.request.name);
  const [makeDefault, setMakeDefault] = useState(true);
  const o = job.outcome;
  const r = job.result;
  const meanBase = r?.basePsnr ?? o?.basePsnr ?? null;
  const meanNew = r?.psnr ?? o?.bestPsnr ?? null;
  return (
    <Paper variant="outlined" sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }} component="section" aria-label="Training result">
      <Typography variant="h6">Result: {job.request.name}</Typography>
      {o?.beat ? (
        <Alert severity="success" data-testid="training-outcome">
          The fine-tuned model beats {job.request.baseName} on the held-out photos: {db(meanNew)} against {db(meanBase)} ({meanNew !== null ? gain(meanBase, meanNew) : '—'}).
        </Alert>
      ) : (
        <Alert severity="warning" data-testid="training-outcome">
          Not better than {job.request.baseName}: {sentence(o?.reason ?? 'it did not beat its base on the held-out photos')} Keep using the base model, or try more photos or a longer budget.
        </Alert>
      )}
      {r?.reference === 'self' && (
        <Typography variant="body2" color="text.secondary">
          {selfMeasure(oldPrintBase ? 'print' : 'photo', oldPrintBase ? ', made old again (blur, screens) with your collection’s own grain' : ' with your collection’s own noise added back, and the base model at its best strength')}
        </Typography>
      )}
      {r?.measure === 'crops' && (
        <Typography variant="body2" color="text.secondary" data-testid="training-measure">
          Scored on {r.crops} fresh crops of each held-out photo: other places and other degradations than the crops that picked the best checkpoint during training, which would flatter it.
        </Typography>
      )}
      {r?.measure === 'whole' && (
        <Typography variant="body2" color="text.secondary" data-testid="training-measure">
          Each held-out photo is made gray and colourized whole, once automatically and once with 10 colour points taken from the photo itself; the scores are the mean of the two against the original colours. The pictures show each photo made gray, colourized automatically by both models, and its own colours.
        </Typography>
      )}
      {r && (
        <Table size="small" aria-label="Held-out photos, base vs fine-tuned">
          <TableHead>
            <TableRow>
              <TableCell>Held-out photo</TableCell>
              <TableCell align="right">{job.request.baseName}</TableCell>
              <TableCell align="right">Fine-tuned</TableCell>
              <TableCell align="right">Gain</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {r.photos.map((p) => (
              <TableRow key={p.file}>
                <TableCell title={p.file}>{baseName(p.file)}</TableCell>
                <TableCell align="right">{db(p.basePsnr)}</TableCell>
                <TableCell align="right">{db(p.psnr)}</TableCell>
                <TableCell align="right">{gain(p.basePsnr, p.psnr)}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell sx={{ fontWeight: 700 }}>Mean</TableCell>
              <TableCell align="right" sx={{ fontWeight: 700 }}>{db(r.basePsnr)}</TableCell>
              <TableCell align="right" sx={{ fontWeight: 700 }}>{db(r.psnr)}</TableCell>
              <TableCell align="right" sx={{ fontWeight: 700 }} data-testid="training-gain">{gain(r.basePsnr, r.psnr)}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
      )}
      {r && r.photos.some((p) => p.picture) && (
        <Box>
          <Typography variant="subtitle2">
            Side by side: your photo (as the model sees it) · {job.request.baseName} · fine-tuned{r.reference === 'clean' ? ' · the clean photo' : ''}
          </Typography>
          <Box data-testid="result-pictures" sx={{ display: 'flex', flexDirection: 'column', gap: 1, mt: 1 }}>
            {r.photos.filter((p) => p.picture).map((p) => (
              <Box key={p.file}>
                <Box component="img" src={p.picture} alt={`${baseName(p.file)}: input, base, fine-tuned`} sx={{ maxWidth: '100%', borderRadius: 1, imageRendering: 'pixelated' }} />
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                  {baseName(p.file)}: {db(p.basePsnr)} → {db(p.psnr)}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      )}
      {job.adopted ? (
        <Alert severity="success" icon={<CheckCircleIcon />} data-testid="training-adopted">
          Installed as “{name}” ({job.adopted}). It is listed in Models and in every step’s model picker; roll back to the base in Models at any time.
        </Alert>
      ) : (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
          <TextField size="small" label="Model name" value={name} onChange={(e) => setName(e.target.value)} disabled={!o?.canAdopt} sx={{ width: 320 }} />
          <FormControlLabel
            control={<Checkbox checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} disabled={!o?.canAdopt} />}
            label={`Use it instead of ${job.request.baseName} by default`}
          />
          <Button variant="contained" disabled={!o?.canAdopt || busy || !name.trim()} onClick={() => onAdopt(name.trim(), makeDefault)}>
            Adopt
          </Button>
          {!o?.canAdopt && (
            <Typography variant="body2" color="text.secondary">
              Adopt is off: a model that does not beat its base is never installed.
            </Typography>
          )}
        </Box>
      )}
      {error && <Alert severity="error">{error}</Alert>}
      <Box>
        <Button onClick={onDiscard} disabled={busy}>
          {job.adopted ? 'New training' : 'Discard and start over'}
        </Button>
      </Box>
    </Paper>
  );
}
