/**
 * Saves text as a file through the page's own download (a blob link with `download`): the browser saves it in the web
 * host, and Electron's download handling does the same in the desktop app, so both hosts use one API.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download by now; the URL is only needed until then.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
