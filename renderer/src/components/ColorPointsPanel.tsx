// The "Colour points" section of the Colourize step (Restore view only: points belong to the open
// photo): how many points, how to add one, the colour of the next or selected point (the native
// colour picker plus a row of common swatches; for a selected point, the automatic result's colour
// there and livelier versions of it: hooks/useColourSuggestions), and Undo / Clear points.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import UndoIcon from '@mui/icons-material/Undo';
import LayersClearIcon from '@mui/icons-material/LayersClear';
import type { ColourSuggestion } from '@api/colorSuggestions';
import { SWATCHES } from '../lib/colorPoints';

interface Props {
  count: number;
  color: string;
  /** True when a point is selected: the picker then shows and changes that point's colour. */
  selected: boolean;
  canUndo: boolean;
  /** Colours for the selected point from the automatic result there (empty: none to offer). */
  suggestions?: readonly ColourSuggestion[];
  disabled?: boolean;
  onColor(color: string): void;
  onUndo(): void;
  onClear(): void;
}

export function ColorPointsPanel({ count, color, selected, canUndo, suggestions = [], disabled = false, onColor, onUndo, onClear }: Props) {
  return (
    <Box data-testid="color-points-panel" sx={{ display: 'flex', flexDirection: 'column', gap: 0.75, pt: 0.5, borderTop: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between' }}>
        <Typography variant="caption" sx={{ fontWeight: 600 }}>
          Colour points
        </Typography>
        <Typography variant="caption" color="text.secondary" data-testid="color-point-count">
          {count === 1 ? '1 point' : `${count} points`}
        </Typography>
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ lineHeight: 1.3 }}>
        Click the photo to add a colour point (P)
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Box
          component="input"
          type="color"
          value={color}
          disabled={disabled}
          aria-label={selected ? 'Selected point colour' : 'Next point colour'}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => onColor(e.target.value)}
          sx={{ width: 36, height: 28, p: 0, border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: 'transparent', cursor: 'pointer' }}
        />
        <Typography variant="caption" color="text.secondary">
          {selected ? 'Selected point' : 'Next point'} · <Box component="span" sx={{ fontFamily: 'monospace' }}>{color}</Box>
        </Typography>
      </Box>
      {selected && suggestions.length > 0 && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <Typography variant="caption" color="text.secondary" title="The automatic colourization's colour under this point, and the same hue livelier">
            Colours here:
          </Typography>
          <Swatches label="Colours here" swatches={suggestions} color={color} disabled={disabled} onColor={onColor} />
        </Box>
      )}
      <Swatches label="Common colours" swatches={SWATCHES} color={color} disabled={disabled} onColor={onColor} />
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button size="small" startIcon={<UndoIcon fontSize="small" />} disabled={disabled || !canUndo} onClick={onUndo} title="Undo the last point edit (Ctrl+Z with the points tool)">
          Undo
        </Button>
        <Button size="small" color="inherit" startIcon={<LayersClearIcon fontSize="small" />} disabled={disabled || count === 0} onClick={onClear}>
          Clear points
        </Button>
      </Box>
    </Box>
  );
}

/** A row of one-click colour swatches; the one equal to the picker's colour is ringed. */
function Swatches({ label, swatches, color, disabled, onColor }: { label: string; swatches: readonly ColourSuggestion[]; color: string; disabled: boolean; onColor(color: string): void }) {
  const current = color.toLowerCase();
  return (
    <Box role="group" aria-label={label} sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
      {swatches.map((s) => (
        <ButtonBase
          key={s.color}
          title={`${s.name} ${s.color}`}
          aria-label={s.name}
          aria-pressed={s.color === current}
          disabled={disabled}
          onClick={() => onColor(s.color)}
          sx={{
            width: 20,
            height: 20,
            borderRadius: '50%',
            bgcolor: s.color,
            border: 2,
            borderColor: s.color === current ? 'primary.main' : 'rgba(255,255,255,0.25)',
            boxShadow: s.color === current ? '0 0 0 2px rgba(122,162,255,0.45)' : 'none',
          }}
        />
      ))}
    </Box>
  );
}
