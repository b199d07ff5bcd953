// Toolbar over the Restore view's image: open, split a scan of several prints, compare mode, zoom controls and the editing tools:
// the mask tools (brush, eraser, size) when the repair step is on, the colour-points tool when
// Colourize is on, and undo / redo / clear of whatever the active tool edits.
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import Slider from '@mui/material/Slider';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Button from '@mui/material/Button';
import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import ZoomInIcon from '@mui/icons-material/ZoomIn';
import ZoomOutIcon from '@mui/icons-material/ZoomOut';
import FitScreenIcon from '@mui/icons-material/FitScreen';
import CompareIcon from '@mui/icons-material/Compare';
import ViewColumnIcon from '@mui/icons-material/ViewColumn';
import BrushIcon from '@mui/icons-material/Brush';
import PanToolIcon from '@mui/icons-material/PanTool';
import UndoIcon from '@mui/icons-material/Undo';
import RedoIcon from '@mui/icons-material/Redo';
import DeleteSweepIcon from '@mui/icons-material/DeleteSweep';
import AutoFixOffIcon from '@mui/icons-material/AutoFixOff';
import ColorizeIcon from '@mui/icons-material/Colorize';
import ContentCutIcon from '@mui/icons-material/ContentCut';

export type Tool = 'pan' | 'brush' | 'eraser' | 'points';

/** Undo/redo/clear of what the active tool edits (mask strokes or colour points). */
export interface ToolEdits {
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onClear(): void;
  clearLabel: string;
}

interface Props {
  fileName: string;
  onOpen(): void;
  /** Cut the prints of a scan holding several into files of their own (SplitScanDialog). */
  onSplit(): void;
  mode: 'slider' | 'side';
  onMode(mode: 'slider' | 'side'): void;
  hasResult: boolean;
  scale: number;
  onZoom(factor: number): void;
  onFit(): void;
  onOneToOne(): void;
  maskTools: boolean;
  /** The colour-points tool (Colourize is on). */
  pointTools: boolean;
  tool: Tool;
  onTool(tool: Tool): void;
  brushSize: number;
  onBrushSize(size: number): void;
  /** null: nothing to undo here (no editing tool). */
  edits: ToolEdits | null;
}

/** The image tools, in toolbar order, and when each is offered. */
const TOOLS: ReadonlyArray<{ value: Tool; label: string; title: string; Icon: typeof PanToolIcon; shown: (p: Props) => boolean }> = [
  { value: 'pan', label: 'Pan', title: 'Pan (H)', Icon: PanToolIcon, shown: () => true },
  { value: 'brush', label: 'Mask brush', title: 'Mask brush (B)', Icon: BrushIcon, shown: (p) => p.maskTools },
  { value: 'eraser', label: 'Eraser', title: 'Eraser (E)', Icon: AutoFixOffIcon, shown: (p) => p.maskTools },
  { value: 'points', label: 'Colour points', title: 'Colour points (P): click to add, drag to move, Delete to remove', Icon: ColorizeIcon, shown: (p) => p.pointTools },
];

export function ViewerToolbar(p: Props) {
  return (
    <Box
      role="toolbar"
      aria-label="Image tools"
      sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1.5, py: 0.75, borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper', minHeight: 48, flexWrap: 'wrap' }}
    >
      <Button size="small" startIcon={<FolderOpenIcon />} onClick={p.onOpen}>
        Open
      </Button>
      {/* Basis 0 and a small minimum: a long name shrinks (ellipsis) before it pushes the tools onto a second row. */}
      <Typography variant="body2" noWrap sx={{ flex: '1 1 0', minWidth: 48, maxWidth: 220, color: 'text.secondary' }} title={p.fileName}>
        {p.fileName}
      </Typography>
      <Tooltip title="Split a scan of several prints into one file per print">
        <IconButton size="small" onClick={p.onSplit} aria-label="Split scan into prints">
          <ContentCutIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Divider orientation="vertical" flexItem />
      <ToggleButtonGroup size="small" exclusive value={p.mode} onChange={(_, v: 'slider' | 'side' | null) => v && p.onMode(v)} disabled={!p.hasResult} aria-label="Compare mode">
        <Tooltip title="Before/after slider (C)">
          <ToggleButton value="slider" aria-label="Slider">
            <CompareIcon fontSize="small" />
          </ToggleButton>
        </Tooltip>
        <Tooltip title="Side by side (C)">
          <ToggleButton value="side" aria-label="Side by side">
            <ViewColumnIcon fontSize="small" />
          </ToggleButton>
        </Tooltip>
      </ToggleButtonGroup>
      <Divider orientation="vertical" flexItem />
      <Tooltip title="Zoom out">
        <IconButton size="small" onClick={() => p.onZoom(1 / 1.25)} aria-label="Zoom out">
          <ZoomOutIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Typography variant="body2" data-testid="zoom-level" sx={{ width: 48, textAlign: 'center', fontVariantNumeric: 'tabular-nums' }}>
        {Math.round(p.scale * 100)}%
      </Typography>
      <Tooltip title="Zoom in">
        <IconButton size="small" onClick={() => p.onZoom(1.25)} aria-label="Zoom in">
          <ZoomInIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Tooltip title="Fit to window (F)">
        <IconButton size="small" onClick={p.onFit} aria-label="Fit to window">
          <FitScreenIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Button size="small" onClick={p.onOneToOne} aria-label="Actual size" sx={{ minWidth: 40 }}>
        1:1
      </Button>
      {(p.maskTools || p.pointTools) && (
        <>
          <Divider orientation="vertical" flexItem />
          <ToggleButtonGroup size="small" exclusive value={p.tool} onChange={(_, v: Tool | null) => v && p.onTool(v)} aria-label="Tool">
            {TOOLS.filter((t) => t.shown(p)).map((t) => (
              <Tooltip key={t.value} title={t.title}>
                <ToggleButton value={t.value} aria-label={t.label}>
                  <t.Icon fontSize="small" />
                </ToggleButton>
              </Tooltip>
            ))}
          </ToggleButtonGroup>
        </>
      )}
      {p.maskTools && p.tool !== 'points' && (
        <Box sx={{ width: 110, display: 'flex', alignItems: 'center', gap: 1 }}>
          <Slider value={p.brushSize} min={2} max={200} onChange={(_, v) => p.onBrushSize(v as number)} slotProps={{ input: { 'aria-label': 'Brush size' } }} />
        </Box>
      )}
      {p.edits && (
        <>
          <Tooltip title="Undo (Ctrl+Z)">
            <span>
              <IconButton size="small" onClick={p.edits.onUndo} disabled={!p.edits.canUndo} aria-label="Undo">
                <UndoIcon fontSize="small" />
              </IconButton>
            </span>
          </Tooltip>
          <Tooltip title="Redo (Ctrl+Shift+Z)">
            <span>
              <IconButton size="small" onClick={p.edits.onRedo} disabled={!p.edits.canRedo} aria-label="Redo">
                <RedoIcon fontSize="small" />
              </IconButton>
            </span>
          </Tooltip>
          <Tooltip title={p.edits.clearLabel}>
            <IconButton size="small" onClick={p.edits.onClear} aria-label={p.edits.clearLabel}>
              <DeleteSweepIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        </>
      )}
    </Box>
  );
}
