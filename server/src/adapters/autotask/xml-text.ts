/**
 * Removes what XML 1.0 cannot carry (control characters other than tab, LF and CR; U+FFFE/U+FFFF;
 * lone surrogates) and keeps surrogate pairs. Autotask's SOAP parser rejects the whole call otherwise.
 */
export function toXmlSafeText(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, (match) => (match.length === 2 ? match : ''))
}
