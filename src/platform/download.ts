/** Saves text as a file from an extension page, without the downloads permission. */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const blob = new Blob([text], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoke after the click has been handled; revoking synchronously cancels the download in Firefox.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
