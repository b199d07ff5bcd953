// A small SVG line chart for the Training view (no chart library): one series of points, an
// optional dashed horizontal line to beat (the base model's PSNR), min/max labels on the y axis
// and the step range on the x axis. Scales to its container's width.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';

export interface LineChartProps {
  title: string;
  points: ReadonlyArray<{ x: number; y: number }>;
  /** A horizontal reference line and its label (e.g. the base model's PSNR). */
  baseline?: { y: number; label: string } | null;
  format(y: number): string;
  /** Plot log10(y) (loss curves). */
  log?: boolean;
  height?: number;
  testId?: string;
  /** Show a dot on each point (sparse series: validations). */
  dots?: boolean;
}

const W = 480;

export function LineChart({ title, points, baseline, format, log = false, height = 160, testId, dots = false }: LineChartProps) {
  const theme = useTheme();
  const tf = (y: number): number => (log ? Math.log10(Math.max(1e-12, y)) : y);
  const ys = points.map((p) => tf(p.y));
  if (baseline) ys.push(tf(baseline.y));
  let lo = ys.length ? Math.min(...ys) : 0;
  let hi = ys.length ? Math.max(...ys) : 1;
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const x0 = points[0]?.x ?? 0;
  const x1 = Math.max(x0 + 1, points[points.length - 1]?.x ?? 1);
  const left = 52;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const sx = (x: number): number => left + ((x - x0) / (x1 - x0)) * (W - left - right);
  const sy = (y: number): number => top + (1 - (tf(y) - lo) / (hi - lo)) * (height - top - bottom);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  const inv = (t: number): number => (log ? 10 ** t : t);
  return (
    <Box data-testid={testId} data-points={points.length}>
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        {title}
      </Typography>
      <svg viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-label={title} style={{ display: 'block' }}>
        <rect x={left} y={top} width={W - left - right} height={height - top - bottom} fill={theme.palette.action.hover} rx={4} />
        <text x={left - 6} y={top + 10} textAnchor="end" fontSize={10} fill={theme.palette.text.secondary}>
          {format(inv(hi - pad))}
        </text>
        <text x={left - 6} y={height - bottom} textAnchor="end" fontSize={10} fill={theme.palette.text.secondary}>
          {format(inv(lo + pad))}
        </text>
        <text x={left} y={height - 5} fontSize={10} fill={theme.palette.text.secondary}>
          step {Math.round(x0)}
        </text>
        <text x={W - right} y={height - 5} textAnchor="end" fontSize={10} fill={theme.palette.text.secondary}>
          {Math.round(x1)}
        </text>
        {baseline && (
          <g>
            <line x1={left} x2={W - right} y1={sy(baseline.y)} y2={sy(baseline.y)} stroke={theme.palette.warning.main} strokeDasharray="5 4" strokeWidth={1.5} />
            <text x={W - right - 4} y={sy(baseline.y) - 4} textAnchor="end" fontSize={10} fill={theme.palette.warning.main}>
              {baseline.label}
            </text>
          </g>
        )}
        {points.length > 1 && <path d={path} fill="none" stroke={theme.palette.primary.main} strokeWidth={1.8} />}
        {(dots || points.length === 1) && points.map((p, i) => <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={3} fill={theme.palette.primary.main} />)}
        {points.length === 0 && (
          // Below the line to beat when there is one (it sits mid-height with nothing else to scale to).
          <text x={(left + W) / 2} y={baseline ? sy(baseline.y) + 22 : height / 2} textAnchor="middle" fontSize={12} fill={theme.palette.text.secondary}>
            waiting for the first {dots ? 'validation' : 'steps'}…
          </text>
        )}
      </svg>
    </Box>
  );
}
