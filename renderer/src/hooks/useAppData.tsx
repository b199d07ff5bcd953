// App-wide data loaded once and kept fresh: app info, settings, installed models and the active
// provider (updated from 'provider' events). Views read it with useAppData().
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AppInfo, ModelInfo, ProviderInfo, Settings, SettingsPatch } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { errorMessage } from '../lib/errors';

export interface AppData {
  app: AppInfo | null;
  settings: Settings | null;
  models: ModelInfo[];
  provider: ProviderInfo | null;
  loadError: string | null;
  updateSettings(patch: SettingsPatch): Promise<void>;
  reloadModels(): Promise<void>;
}

const AppDataContext = createContext<AppData | null>(null);

export function useAppData(): AppData {
  const data = useContext(AppDataContext);
  if (!data) throw new Error('useAppData outside <AppDataProvider>');
  return data;
}

export function AppDataProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [app, setApp] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [provider, setProvider] = useState<ProviderInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reloadModels = useCallback(async () => setModels(await api.call('listModels', {})), [api]);
  useEffect(() => {
    Promise.all([api.call('getAppInfo', {}), api.call('getSettings', {}), api.call('listModels', {}), api.call('getProvider', {})])
      .then(([a, s, m, p]) => {
        setApp(a);
        setSettings(s);
        setModels(m);
        setProvider(p);
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, [api]);
  useApiEvents((e) => {
    if (e.type === 'provider') setProvider(e.provider);
  });

  const updateSettings = useCallback(
    async (patch: SettingsPatch) => {
      setSettings(await api.call('setSettings', { patch }));
    },
    [api],
  );

  return (
    <AppDataContext.Provider value={{ app, settings, models, provider, loadError, updateSettings, reloadModels }}>{children}</AppDataContext.Provider>
  );
}
