// Shows the active execution provider (CPU/CUDA/DirectML) and, in its tooltip, the fallback reason;
// amber only when a GPU the user chose could not be used (lib/providerNote).
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import MemoryIcon from '@mui/icons-material/Memory';
import { useAppData } from '../hooks/useAppData';
import { providerNote } from '../lib/providerNote';

export const PROVIDER_NAMES = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML' } as const;

export function ProviderChip({ compact = false }: { compact?: boolean }) {
  const { provider } = useAppData();
  if (!provider) return null;
  const fallback = provider.fallbackReason;
  const label = PROVIDER_NAMES[provider.active];
  return (
    <Tooltip title={fallback ? `Running on ${label}: ${fallback}` : `Running on ${label}`} placement="right">
      <Chip
        size="small"
        icon={<MemoryIcon />}
        label={label}
        color={providerNote(provider).severity === 'warning' ? 'warning' : 'default'}
        variant="outlined"
        data-testid="provider-chip"
        sx={compact ? { maxWidth: 76 } : undefined}
      />
    </Tooltip>
  );
}
