/**
 * Sorts class names into their class-id order: numerically when every name is a number (so `10`
 * comes after `9`), otherwise by code unit (the same on every machine, unlike locale order).
 *
 * @param names Class names, possibly repeated.
 * @returns The distinct names, sorted.
 * @example sortClassNames(['10', '9', '9', '0']) // ['0', '9', '10']
 */
export function sortClassNames(names: Iterable<string>): string[] {
  const unique = [...new Set(names)];
  const numeric = unique.length > 0 && unique.every((n) => n.trim() !== '' && Number.isFinite(Number(n)));
  return numeric
    ? unique.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    : unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
