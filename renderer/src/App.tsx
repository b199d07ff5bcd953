// The application shell: navigation rail (Restore, Batch, Models, Training, Settings), theme from
// the settings, providers for the API, app data, the saved session and the path picker. Views stay
// mounted so that a running job keeps its state while the user looks elsewhere; they start once
// the saved session is loaded (hooks/useSession), so a reload or restart brings the work back; the
// view shown is kept in the address's #fragment, so a reload stays on it.
import { useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import CircularProgress from '@mui/material/CircularProgress';
import CssBaseline from '@mui/material/CssBaseline';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { ThemeProvider } from '@mui/material/styles';
import AutoFixHighIcon from '@mui/icons-material/AutoFixHigh';
import BurstModeIcon from '@mui/icons-material/BurstMode';
import HubIcon from '@mui/icons-material/Hub';
import SchoolIcon from '@mui/icons-material/School';
import SettingsIcon from '@mui/icons-material/Settings';
import type { RestoreApi } from '@api/contract';
import { ApiContext } from './api/ApiContext';
import { AppDataProvider, useAppData } from './hooks/useAppData';
import { PathPickerProvider } from './components/PathPicker';
import { ProviderChip } from './components/ProviderChip';
import { EngineNotices } from './components/EngineNotices';
import { SessionNotices } from './components/SessionNotices';
import { SessionProvider } from './hooks/useSession';
import { makeTheme } from './theme';
import { RestoreView } from './views/RestoreView';
import { BatchView } from './views/BatchView';
import { ModelsView } from './views/ModelsView';
import { SettingsView } from './views/SettingsView';
import { TrainingView } from './views/TrainingView';

type ViewName = 'restore' | 'batch' | 'models' | 'training' | 'settings';
const NAV: Array<{ id: ViewName; label: string; icon: ReactNode }> = [
  { id: 'restore', label: 'Restore', icon: <AutoFixHighIcon /> },
  { id: 'batch', label: 'Batch', icon: <BurstModeIcon /> },
  { id: 'models', label: 'Models', icon: <HubIcon /> },
  { id: 'training', label: 'Training', icon: <SchoolIcon /> },
  { id: 'settings', label: 'Settings', icon: <SettingsIcon /> },
];

/** The view named by the address's #fragment (#batch, #models…), else Restore. */
function viewInAddress(): ViewName {
  const named = window.location.hash.slice(1);
  return NAV.find((n) => n.id === named)?.id ?? 'restore';
}

/** Names the view in the address without a new history entry (Restore: no fragment). */
function showInAddress(view: ViewName): void {
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${view === 'restore' ? '' : `#${view}`}`);
}

export function App({ api }: { api: RestoreApi }) {
  return (
    <ApiContext.Provider value={api}>
      <AppDataProvider>
        <Themed />
      </AppDataProvider>
    </ApiContext.Provider>
  );
}

function Themed() {
  const { settings, app } = useAppData();
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)');
  const choice = settings?.theme ?? 'dark';
  const mode = choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
  const theme = useMemo(() => makeTheme(mode), [mode]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <PathPickerProvider app={app}>
        <Shell />
      </PathPickerProvider>
    </ThemeProvider>
  );
}

function Shell() {
  const { loadError, app, settings } = useAppData();
  const [view, setShownView] = useState<ViewName>(viewInAddress);
  const setView = (next: ViewName): void => {
    setShownView(next);
    showInAddress(next);
  };
  const spinner = (
    <Box sx={{ height: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }} aria-busy="true">
      <CircularProgress aria-label="Loading" />
    </Box>
  );
  if (!loadError && (!app || !settings)) return spinner;
  return (
    <SessionProvider loading={spinner}>
      <Box sx={{ display: 'flex', height: '100vh', minWidth: 1000, minHeight: 660, overflow: 'hidden' }}>
        <Box
          component="nav"
          aria-label="Main"
          sx={{ width: 84, flexShrink: 0, display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 0.5, py: 1.5, borderRight: 1, borderColor: 'divider', bgcolor: 'background.paper' }}
        >
          <Box
            aria-hidden
            sx={{
              width: 40,
              height: 40,
              mb: 1.5,
              borderRadius: 2.5,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontWeight: 800,
              fontSize: 18,
              color: '#fff',
              background: 'linear-gradient(135deg, #6d8dff 0%, #b36dff 55%, #f2b872 100%)',
            }}
          >
            R
          </Box>
          {NAV.map((n) => (
            <ButtonBase
                key={n.id}
                onClick={() => setView(n.id)}
                aria-current={view === n.id ? 'page' : undefined}
                aria-label={n.label}
                sx={{
                  width: 68,
                  py: 1,
                  borderRadius: 2,
                  flexDirection: 'column',
                  gap: 0.25,
                  color: view === n.id ? 'primary.main' : 'text.secondary',
                  bgcolor: view === n.id ? 'action.selected' : 'transparent',
                  '&:hover': { bgcolor: 'action.hover' },
                }}
              >
                {n.icon}
                <Typography variant="caption" sx={{ fontWeight: 600, fontSize: 11 }}>
                  {n.label}
                </Typography>
              </ButtonBase>
          ))}
          <Box sx={{ flex: 1 }} />
          <ProviderChip compact />
        </Box>
        <Box component="main" sx={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
          {loadError && (
            <Alert severity="error" sx={{ borderRadius: 0 }}>
              {loadError}
            </Alert>
          )}
          <SessionNotices />
          <ViewSlot shown={view === 'restore'}>
            <RestoreView active={view === 'restore'} />
          </ViewSlot>
          <ViewSlot shown={view === 'batch'}>
            <BatchView />
          </ViewSlot>
          <ViewSlot shown={view === 'models'}>
            <ModelsView />
          </ViewSlot>
          <ViewSlot shown={view === 'training'}>
            <TrainingView />
          </ViewSlot>
          <ViewSlot shown={view === 'settings'}>
            <SettingsView active={view === 'settings'} />
          </ViewSlot>
          <EngineNotices />
        </Box>
      </Box>
    </SessionProvider>
  );
}

function ViewSlot({ shown, children }: { shown: boolean; children: ReactNode }) {
  return <Box sx={{ display: shown ? 'flex' : 'none', flex: 1, minHeight: 0, minWidth: 0 }}>{children}</Box>;
}
