// The empty state of the Restore view: a large drop target with an Open button and, in the web
// shell, an upload from this computer (hidden file input); DropOverlay marks the view while a
// file is dragged over it.
import { useRef } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import AddPhotoAlternateOutlinedIcon from '@mui/icons-material/AddPhotoAlternateOutlined';

interface Props {
  onOpen(): void;
  onFiles(files: File[]): void;
  busy: boolean;
}

export function DropZone({ onOpen, onFiles, busy }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <Box sx={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', p: 4 }}>
      <Box
        data-testid="drop-zone"
        sx={{
          width: 'min(560px, 100%)',
          py: 7,
          px: 4,
          border: 2,
          borderStyle: 'dashed',
          borderColor: 'divider',
          borderRadius: 4,
          textAlign: 'center',
          bgcolor: 'background.paper',
        }}
      >
        <AddPhotoAlternateOutlinedIcon sx={{ fontSize: 64, color: 'primary.main', opacity: 0.9 }} />
        <Typography variant="h6" sx={{ mt: 1 }}>
          Drop a photo to restore
        </Typography>
        <Typography color="text.secondary" sx={{ mt: 0.5, mb: 3 }}>
          JPEG, PNG, TIFF, WebP, AVIF, GIF or BMP · 8 or 16 bits · stays on this machine
        </Typography>
        <Box sx={{ display: 'flex', gap: 1.5, justifyContent: 'center' }}>
          <Button variant="contained" size="large" onClick={onOpen} disabled={busy}>
            Open photo…
          </Button>
          <Button variant="outlined" size="large" onClick={() => input.current?.click()} disabled={busy}>
            Upload from this computer
          </Button>
        </Box>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 3 }}>
          Ctrl+O open · Ctrl+S export · C compare · F fit · 1 actual size
        </Typography>
        <input
          ref={input}
          type="file"
          accept="image/*,.tif,.tiff,.heic,.avif,.bmp"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            if (files.length) onFiles(files);
          }}
        />
      </Box>
    </Box>
  );
}

/** Shown over the whole view while files are dragged over it. */
export function DropOverlay() {
  return (
    <Box
      aria-hidden
      sx={{
        position: 'absolute',
        inset: 8,
        zIndex: 10,
        border: 3,
        borderStyle: 'dashed',
        borderColor: 'primary.main',
        borderRadius: 3,
        bgcolor: 'rgba(122,162,255,0.12)',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        pointerEvents: 'none',
      }}
    >
      <Typography variant="h6" color="primary">
        Drop to open
      </Typography>
    </Box>
  );
}
