/** What replaces a secret in a message. */
export const REDACTED = '[redacted]';

/** `scheme://userinfo@`: the userinfo part (RFC 3986 §3.2.1) of any URL inside free text. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/**
 * Removes the credentials (`user:password@`) of every URL in `text`, keeping scheme, host and path,
 * so a message still says where a call went without saying how it authenticated.
 *
 * @example stripUrlCredentials('GET http://u:p@host/v1 failed') // 'GET http://[redacted]@host/v1 failed'
 */
export function stripUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * A function that removes every given secret (each literal occurrence) and all URL credentials from
 * a text. Secrets shorter than 4 characters are ignored (redacting them would shred ordinary text).
 * Redact a whole text *before* cutting it: a cut can leave the start of a secret that no longer
 * matches.
 */
export function secretRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const literal = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of literal) out = out.split(secret).join(REDACTED);
    return stripUrlCredentials(out);
  };
}

/** Cuts `text` to `maxChars` characters, marking the cut with an ellipsis and the original length. */
export function cutText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length} chars)`;
}

/**
 * The user-info secrets of a URL (user name and password, raw and percent-decoded), for
 * {@link secretRedactor}: a server or runtime may echo them in either form.
 */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const part of [parsed.username, parsed.password]) {
    if (part === '') continue;
    out.push(part);
    try {
      const decoded = decodeURIComponent(part);
      if (decoded !== part) out.push(decoded);
    } catch {
      // malformed percent-encoding: keep the raw form only
    }
  }
  return out;
}
