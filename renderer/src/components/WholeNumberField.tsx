// A number field of the Settings view that says at once when its text is not a whole number in
// range (lib/wholeNumber), and hands on only valid, changed values (on blur or Enter).
import { useEffect, useState } from 'react';
import TextField from '@mui/material/TextField';
import { wholeNumberError } from '../lib/wholeNumber';

interface Props {
  label: string;
  value: number;
  max: number;
  step: number;
  help: string;
  onValid(n: number): void;
}

export function WholeNumberField({ label, value, max, step, help, onValid }: Props) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const error = wholeNumberError(text, max);
  const commit = (): void => {
    if (error === null && Number(text) !== value) onValid(Number(text));
  };
  return (
    <TextField
      size="small"
      type="number"
      label={label}
      value={text}
      error={error !== null}
      helperText={error ?? help}
      slotProps={{ htmlInput: { min: 0, max, step } }}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      sx={{ width: 220 }}
    />
  );
}
