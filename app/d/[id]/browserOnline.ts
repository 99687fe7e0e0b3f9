/** The browser's own view of the network; true where there is no navigator (server render). */
export function isBrowserOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}
