// The Settings view: execution provider (with the active one and any fallback reason), threads,
// tile size, theme, output defaults and the kept results (size, Clear). Every change is saved at
// once through setSettings.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import { FormatSelect } from '../components/FormatSelect';
import Switch from '@mui/material/Switch';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { Settings, SettingsPatch } from '@api/contract';
import { useAppData } from '../hooks/useAppData';
import { PROVIDER_NAMES } from '../components/ProviderChip';
import { providerNote } from '../lib/providerNote';
import { WholeNumberField } from '../components/WholeNumberField';
import { KeptResults } from '../components/KeptResults';
import { errorMessage } from '../lib/errors';

const PROVIDERS: Array<{ value: Settings['provider']; label: string }> = [
  { value: 'auto', label: 'Automatic' },
  { value: 'cpu', label: 'CPU' },
  { value: 'cuda', label: 'CUDA (NVIDIA)' },
  { value: 'dml', label: 'DirectML (Windows)' },
];

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2.5, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Typography variant="subtitle2">{title}</Typography>
      {children}
    </Paper>
  );
}

export function SettingsView({ active = true }: { active?: boolean }) {
  const { settings, provider, updateSettings } = useAppData();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (!settings) return null;
  const note = provider ? providerNote(provider) : null;
  const save = (patch: SettingsPatch): void => {
    setError(null);
    setSaving(true);
    updateSettings(patch)
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setSaving(false));
  };
  const numberField = (label: string, value: number, key: 'threads' | 'tile', max: number, help: string) => (
    <WholeNumberField label={label} value={value} max={max} step={key === 'tile' ? 64 : 1} help={help} onValid={(n) => save({ [key]: n })} />
  );

  return (
    <Box sx={{ flex: 1, p: 2, overflow: 'auto' }}>
      <Box sx={{ maxWidth: 760, mx: 'auto', display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Typography variant="h6">Settings</Typography>
        {error && <Alert severity="error">{error}</Alert>}
        <Section title="Processing">
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <FormControl size="small" sx={{ width: 220 }}>
              <InputLabel id="settings-provider">Execution provider</InputLabel>
              <Select labelId="settings-provider" label="Execution provider" value={settings.provider} disabled={saving} onChange={(e) => save({ provider: e.target.value as Settings['provider'] })}>
                {PROVIDERS.map((p) => (
                  <MenuItem key={p.value} value={p.value}>
                    {p.label}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
            {provider && note && (
              <Alert severity={note.severity} variant="outlined" sx={{ flex: 1, minWidth: 260, py: 0 }} data-testid="active-provider">
                Active: <b>{PROVIDER_NAMES[provider.active]}</b>
                {note.detail}
              </Alert>
            )}
          </Box>
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
            {numberField('Threads', settings.threads, 'threads', 256, '0 = all cores')}
            {numberField('Tile size (px)', settings.tile, 'tile', 8192, "0 = each model's recommended tile")}
          </Box>
        </Section>
        <Section title="Appearance">
          <ToggleButtonGroup exclusive size="small" value={settings.theme} onChange={(_, v: Settings['theme'] | null) => v && save({ theme: v })} aria-label="Theme">
            <ToggleButton value="system">System</ToggleButton>
            <ToggleButton value="light">Light</ToggleButton>
            <ToggleButton value="dark">Dark</ToggleButton>
          </ToggleButtonGroup>
        </Section>
        <Section title="Output defaults">
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
            <FormatSelect<Settings['output']['format']>
              id="settings-format"
              value={settings.output.format}
              onChange={(format) => save({ output: { ...settings.output, format } })}
              withSame
              sx={{ width: 200 }}
            />
            <FormControl size="small" sx={{ width: 160 }}>
              <InputLabel id="settings-depth">Bit depth</InputLabel>
              <Select labelId="settings-depth" label="Bit depth" value={settings.output.depth ?? 8} onChange={(e) => save({ output: { ...settings.output, depth: Number(e.target.value) as 8 | 16 } })}>
                <MenuItem value={8}>8 bits</MenuItem>
                <MenuItem value={16}>16 bits</MenuItem>
              </Select>
            </FormControl>
          </Box>
          <FormControlLabel
            control={<Switch checked={settings.output.keepMetadata} onChange={(_, v) => save({ output: { ...settings.output, keepMetadata: v } })} />}
            label="Keep metadata (EXIF, colour profile, XMP) and record the model and settings used"
          />
        </Section>
        <Section title="Kept results">
          <KeptResults active={active} />
        </Section>
      </Box>
    </Box>
  );
}
