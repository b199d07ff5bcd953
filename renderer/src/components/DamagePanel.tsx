// The Repair step's damage finding (inside its card in the Restore view): "Find damage
// automatically" runs the detector on the open photo and puts its mask on the mask layer (progress
// and Cancel while it runs, then how much was marked or why nothing was), and "Find damage when
// nothing is painted" makes a run without a painted mask fill what the detector finds; the
// sensitivity (Normal, More, Most) lowers the detector's threshold for both, finding more damage and
// more real detail to erase. Without a detector model the button is off and says so: the brush is
// the way then.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import TroubleshootIcon from '@mui/icons-material/Troubleshoot';
import type { DamageJob, DamageNote } from '../hooks/useDamageFinder';
import { DAMAGE_SENSITIVITIES, type DamageSensitivity } from '../lib/chain';

interface Props {
  /** A detect-damage model is installed. */
  detector: boolean;
  job: DamageJob | null;
  note: DamageNote | null;
  autoMask: boolean;
  sensitivity: DamageSensitivity;
  /** A restore is running (or the photo is not open). */
  disabled: boolean;
  onFind(): void;
  onCancel(): void;
  onAutoMask(on: boolean): void;
  onSensitivity(sensitivity: DamageSensitivity): void;
  onDismiss(): void;
}

export function DamagePanel({ detector, job, note, autoMask, sensitivity, disabled, onFind, onCancel, onAutoMask, onSensitivity, onDismiss }: Props) {
  return (
    <Box data-testid="damage-panel" sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      {job ? (
        <Box>
          <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography variant="caption">Finding damage…</Typography>
            <Typography variant="caption" color="text.secondary">
              {job.fraction === null ? '' : `${Math.round(job.fraction * 100)}%`}
            </Typography>
          </Box>
          <LinearProgress variant={job.fraction === null ? 'indeterminate' : 'determinate'} value={(job.fraction ?? 0) * 100} aria-label="Damage search progress" />
          <Button size="small" color="inherit" onClick={onCancel} sx={{ mt: 0.5 }}>
            Cancel
          </Button>
        </Box>
      ) : (
        <Button
          variant="outlined"
          size="small"
          startIcon={<TroubleshootIcon />}
          disabled={disabled || !detector}
          onClick={onFind}
          title={detector ? 'Mark scratches, dust, hair and cracks on the mask; edit it with the brush and eraser before restoring' : 'No damage detector model is installed'}
        >
          Find damage automatically
        </Button>
      )}
      {!detector && (
        <Typography variant="caption" color="text.secondary" data-testid="damage-no-detector">
          No damage detector model is installed: paint over the damage with the mask brush (B).
        </Typography>
      )}
      {note && (
        <Alert severity={note.severity} variant="outlined" onClose={onDismiss} data-testid="damage-note" sx={{ py: 0, '& .MuiAlert-message': { fontSize: 12 } }}>
          {note.text}
        </Alert>
      )}
      {detector && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} title="Higher finds fainter damage and also marks more real detail (thin lines, edges): check the mask with the eraser (E)">
          <Typography variant="caption" id="damage-sensitivity">Sensitivity</Typography>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={sensitivity}
            disabled={disabled || job !== null}
            onChange={(_, v: DamageSensitivity | null) => { if (v) onSensitivity(v); }}
            aria-labelledby="damage-sensitivity"
          >
            {DAMAGE_SENSITIVITIES.map((s) => (
              <ToggleButton key={s.value} value={s.value} sx={{ py: 0, px: 1, fontSize: 11, textTransform: 'none' }}>{s.label}</ToggleButton>
            ))}
          </ToggleButtonGroup>
        </Box>
      )}
      {detector && (
        <FormControlLabel
          control={<Checkbox size="small" checked={autoMask} disabled={disabled} onChange={(_, on) => onAutoMask(on)} />}
          label={<Typography variant="caption">Find damage when nothing is painted</Typography>}
          title="Restore without a painted mask fills what the damage detector finds"
          sx={{ mr: 0 }}
        />
      )}
    </Box>
  );
}
