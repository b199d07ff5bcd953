// The "Restore old photo(s)" preset button (Restore and Batch views) and, under it, what the
// preset switched on the last time it was pressed.
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import HistoryEduIcon from '@mui/icons-material/HistoryEdu';

interface Props {
  label: string;
  title: string;
  disabled: boolean;
  onClick(): void;
  /** What the preset switched on (null before the first press). */
  notes: readonly string[] | null;
}

export function OldPhotoPresetButton({ label, title, disabled, onClick, notes }: Props) {
  return (
    <>
      <Button fullWidth variant="contained" color="secondary" startIcon={<HistoryEduIcon />} disabled={disabled} onClick={onClick} title={title}>
        {label}
      </Button>
      {notes && (
        <Typography variant="caption" color="text.secondary" component="p" data-testid="preset-notes" sx={{ mt: 0.75, lineHeight: 1.35 }}>
          {notes.join(' · ')}
        </Typography>
      )}
    </>
  );
}
