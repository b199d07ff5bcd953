// Editor for the restoration chain (shared by the Restore and Batch views): one card per step in
// the fixed order, a switch to turn it on, its settings (strength, scale, model), and a clear
// "no trained model yet" notice for a task without an installed model. Repair, denoise and upscale
// offer "Max quality": the self-ensemble (mean over 8 flips/rotations), 8x slower. Colourize has a
// saturation slider; a view may add its own controls to a step's card (`extras`: the Restore
// view's colour points, Batch's "only black-and-white photos"), its own line under a step's title
// (`hints`), and say why a step it cannot use is off (`unavailable`: Batch's Repair needs a detector).
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Slider from '@mui/material/Slider';
import Switch from '@mui/material/Switch';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import FormControlLabel from '@mui/material/FormControlLabel';
import Checkbox from '@mui/material/Checkbox';
import type { ModelInfo, StepTaskName } from '@api/contract';
import { CHAIN_ORDER, TASK_LABELS, modelsFor, type ChainConfig, type StepConfig } from '../lib/chain';

/** Select value standing for "the default model of the task" (the chain stores ''). */
const BEST = '__best__';

interface Props {
  chain: ChainConfig;
  models: readonly ModelInfo[];
  onChange(chain: ChainConfig): void;
  /** Tasks to leave out. */
  exclude?: readonly StepTaskName[];
  /** A view's own line under a step's title (Batch: Repair finds and fills damage automatically). */
  hints?: Partial<Record<StepTaskName, string>>;
  /** Steps that cannot be used although their task has a model, and why (Batch's Repair without a damage detector). */
  unavailable?: Partial<Record<StepTaskName, string | null>>;
  disabled?: boolean;
  /** Shown at the end of an enabled step's card. */
  extras?: Partial<Record<StepTaskName, ReactNode>>;
  /** The strength Auto found for the photo on its last run: shown, and where a switch to manual starts. */
  estimatedSigma?: number;
}

/** The chosen denoiser when it has one fixed noise level (strength does nothing for it). */
function fixedLevelModel(chosen: string | undefined, available: ModelInfo[]): ModelInfo | undefined {
  const m = chosen ? available.find((x) => x.id === chosen) : undefined;
  return m?.fixedNoiseLevel !== undefined ? m : undefined;
}

/** Manual strength to start from when Auto is switched off: the estimate when there is one. */
function manualStart(estimate: number | undefined): number {
  return estimate === undefined ? 25 : Math.min(75, Math.max(1, Math.round(estimate)));
}

/** The strength caption: the manual value, or what Auto found (or will find on the next run). */
function strengthCaption(sigma: StepConfig['sigma'], estimate: number | undefined): string {
  if (sigma !== 'auto') return `Strength σ ${sigma}`;
  return estimate === undefined ? 'Strength: estimated from the photo when it runs' : `Strength σ ${estimate.toFixed(1)}, estimated from the photo`;
}

export function StepChain({ chain, models, onChange, exclude = [], hints = {}, unavailable = {}, disabled = false, extras = {}, estimatedSigma }: Props) {
  const update = (task: StepTaskName, patch: Partial<StepConfig>): void => onChange({ ...chain, [task]: { ...chain[task], ...patch } });
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      {CHAIN_ORDER.filter((t) => !exclude.includes(t)).map((task) => {
        const c = chain[task];
        const available = modelsFor(task, models);
        const fixed = task === 'denoise' ? fixedLevelModel(c.model, available) : undefined;
        const fixedDefault = task === 'denoise' && !c.model ? available.find((m) => m.defaultFor && m.fixedNoiseLevel !== undefined) : undefined;
        const reason = available.length === 0 ? 'No trained model yet' : (unavailable[task] ?? null);
        const missing = reason !== null;
        const id = `step-${task}`;
        return (
          <Paper
            key={task}
            variant="outlined"
            data-testid={id}
            sx={{ p: 1.25, borderColor: c.enabled && !missing ? 'primary.main' : 'divider', opacity: missing ? 0.7 : 1, transition: 'border-color .15s' }}
          >
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <Typography variant="subtitle2">{TASK_LABELS[task].title}</Typography>
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block', lineHeight: 1.3 }}>
                  {reason ?? hints[task] ?? TASK_LABELS[task].hint}
                </Typography>
              </Box>
              <Switch
                checked={c.enabled && !missing}
                disabled={disabled || missing}
                onChange={(_, enabled) => update(task, { enabled })}
                slotProps={{ input: { 'aria-label': `${TASK_LABELS[task].title} step` } }}
              />
            </Box>
            {c.enabled && !missing && (
              <Box sx={{ mt: 1, display: 'flex', flexDirection: 'column', gap: 1 }}>
                {fixed && (
                  <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }} data-testid="denoise-fixed-level">
                    {fixed.name} works blind, at the one level it was trained for (σ {fixed.fixedNoiseLevel}): it has no strength setting.
                  </Typography>
                )}
                {task === 'denoise' && !fixed && (
                  <Box>
                    <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
                      <Typography variant="caption" color="text.secondary" id={`${id}-strength`}>
                        {strengthCaption(c.sigma, estimatedSigma)}
                      </Typography>
                      <FormControlLabel
                        control={<Checkbox size="small" checked={c.sigma === 'auto'} disabled={disabled} onChange={(_, auto) => update(task, { sigma: auto ? 'auto' : manualStart(estimatedSigma) })} />}
                        label={<Typography variant="caption">Auto</Typography>}
                        sx={{ mr: 0 }}
                      />
                    </Box>
                    {/* Under Auto the slider shows what was found, never a made-up value. */}
                    {(c.sigma !== 'auto' || estimatedSigma !== undefined) && (
                      <Slider
                        value={c.sigma === 'auto' ? manualStart(estimatedSigma) : c.sigma}
                        min={1}
                        max={75}
                        disabled={disabled || c.sigma === 'auto'}
                        valueLabelDisplay="auto"
                        onChange={(_, v) => update(task, { sigma: v as number })}
                        slotProps={{ input: { 'aria-labelledby': `${id}-strength` } }}
                      />
                    )}
                    {fixedDefault && (
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                        Where your default {fixedDefault.name} is used, it keeps its own level and ignores the strength.
                      </Typography>
                    )}
                  </Box>
                )}
                {task === 'colorize' && (
                  <Box>
                    <Typography variant="caption" color="text.secondary" id={`${id}-saturation`}>
                      Saturation {c.saturation.toFixed(2)}×
                    </Typography>
                    <Slider
                      value={c.saturation}
                      min={0}
                      max={2}
                      step={0.05}
                      marks={[{ value: 1 }]}
                      disabled={disabled}
                      valueLabelDisplay="auto"
                      onChange={(_, v) => update(task, { saturation: Math.round((v as number) * 100) / 100 /* key steps of 0.05 add up float error */ })}
                      slotProps={{ input: { 'aria-label': 'Saturation' } }}
                    />
                  </Box>
                )}
                {task === 'upscale' && (
                  <ToggleButtonGroup
                    exclusive
                    size="small"
                    value={c.scale}
                    disabled={disabled}
                    onChange={(_, v: 2 | 4 | null) => v && update(task, { scale: v })}
                    aria-label="Enlargement factor"
                  >
                    <ToggleButton value={2}>2×</ToggleButton>
                    <ToggleButton value={4}>4×</ToggleButton>
                  </ToggleButtonGroup>
                )}
                {(task === 'denoise' || task === 'upscale' || task === 'inpaint') && (
                  <FormControlLabel
                    control={<Checkbox size="small" checked={c.tta} disabled={disabled} onChange={(_, tta) => update(task, { tta })} />}
                    label={<Typography variant="caption">Max quality (8 passes, 8× slower)</Typography>}
                    title="Averages the model over the photo's 8 flips and rotations: a little cleaner, 8 times the time"
                    sx={{ mr: 0 }}
                  />
                )}
                {available.length > 0 && (
                  <FormControl size="small" fullWidth>
                    <InputLabel id={`${id}-model`}>Model</InputLabel>
                    <Select
                      labelId={`${id}-model`}
                      label="Model"
                      value={c.model || BEST}
                      disabled={disabled}
                      onChange={(e) => update(task, { model: e.target.value === BEST ? '' : e.target.value })}
                    >
                      <MenuItem value={BEST}>Best available</MenuItem>
                      {available
                        .filter((m) => task !== 'upscale' || m.scale === c.scale)
                        .map((m) => (
                          <MenuItem key={m.id} value={m.id}>
                            {m.name}
                          </MenuItem>
                        ))}
                    </Select>
                  </FormControl>
                )}
                {extras[task]}
              </Box>
            )}
          </Paper>
        );
      })}
    </Box>
  );
}
