// The app's MUI theme: a calm, photo-friendly dark (or light) palette, compact density, rounded
// surfaces. One place for colours so views never hard-code them.
import { createTheme, type Theme } from '@mui/material/styles';

export function makeTheme(mode: 'light' | 'dark'): Theme {
  const dark = mode === 'dark';
  return createTheme({
    palette: {
      mode,
      primary: { main: dark ? '#7aa2ff' : '#3056d3' },
      secondary: { main: dark ? '#f2b872' : '#c7772a' },
      background: dark ? { default: '#111318', paper: '#191c23' } : { default: '#f3f4f7', paper: '#ffffff' },
      divider: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)',
    },
    shape: { borderRadius: 10 },
    typography: {
      fontFamily: '"Inter", "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif',
      fontSize: 13,
      h6: { fontWeight: 600, letterSpacing: 0.2 },
      subtitle2: { fontWeight: 600 },
      button: { textTransform: 'none', fontWeight: 600 },
    },
    components: {
      MuiButton: { defaultProps: { disableElevation: true } },
      MuiPaper: { styleOverrides: { root: { backgroundImage: 'none' } } },
      MuiTooltip: { defaultProps: { arrow: true } },
      MuiSlider: { defaultProps: { size: 'small' } },
      MuiSwitch: { defaultProps: { size: 'small' } },
    },
  });
}
