/** JSON text columns read back: a value that does not parse reads as absent rather than failing the request. */
export function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
