// The output-format menu (PNG, JPEG, TIFF, WebP, and "Same as input" where the input's own format
// may be kept): one component for the export dialog, the batch view and the settings.
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import type { SxProps, Theme } from '@mui/material/styles';

const FORMATS = [
  { value: 'png', label: 'PNG' }, { value: 'jpg', label: 'JPEG' }, { value: 'tif', label: 'TIFF' }, { value: 'webp', label: 'WebP' },
] as const;

interface FormatSelectProps<F extends string> {
  /** Id of the label (the select is labelled by it). */
  id: string;
  value: F;
  onChange: (format: F) => void;
  /** Offer "Same as input" (value 'same'). */
  withSame?: boolean;
  disabled?: boolean;
  fullWidth?: boolean;
  sx?: SxProps<Theme>;
}

export function FormatSelect<F extends string>({ id, value, onChange, withSame, disabled, fullWidth, sx }: FormatSelectProps<F>) {
  return (
    <FormControl size="small" fullWidth={fullWidth} sx={sx}>
      <InputLabel id={id}>Format</InputLabel>
      <Select labelId={id} label="Format" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as F)}>
        {withSame ? <MenuItem value="same">Same as input</MenuItem> : null}
        {FORMATS.map((f) => <MenuItem key={f.value} value={f.value}>{f.label}</MenuItem>)}
      </Select>
    </FormControl>
  );
}
