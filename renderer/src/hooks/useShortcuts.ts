// Window keyboard shortcuts for a view: a map from combos like "mod+o", "mod+shift+z", "c" to
// handlers. "mod" is Ctrl, or Cmd on macOS. Plain-key shortcuts are ignored while typing in a field.
import { useEffect, useRef } from 'react';

export type ShortcutMap = Record<string, (() => void) | undefined>;

export function comboOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('mod');
  if (e.shiftKey && e.key.length > 1) parts.push('shift');
  else if (e.shiftKey && (e.ctrlKey || e.metaKey)) parts.push('shift');
  if (e.altKey) parts.push('alt');
  parts.push(e.key.toLowerCase());
  return parts.join('+');
}

export function useShortcuts(map: ShortcutMap, enabled = true): void {
  const latest = useRef(map);
  latest.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      const typing = !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      const combo = comboOf(e);
      if (typing && !combo.startsWith('mod+')) return;
      const handler = latest.current[combo];
      if (handler) {
        e.preventDefault();
        handler();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
