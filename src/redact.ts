/**
 * Credentials written into a URL (`http://user:pass@host/`, as HF_ENDPOINT may hold) are replaced
 * by `***` wherever such a URL, or a message quoting one, is about to be shown or recorded.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}
