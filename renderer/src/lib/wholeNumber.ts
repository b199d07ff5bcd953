// Validation of the Settings view's whole-number fields (threads, tile size): the text must be a
// whole number from 0 to the field's maximum; anything else (-3, 2.5, empty, 9999) is an error
// the form shows at once, and nothing is saved.

/** The error to show for `text`, or null when it is a whole number in 0..max. */
export function wholeNumberError(text: string, max: number): string | null {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > max) return `Enter a whole number from 0 to ${max}`;
  return null;
}
