import { removeUnsafeCharacters } from '@psa-link/shared'

/** Text Autotask's SOAP parser accepts (see removeUnsafeCharacters). */
export function toXmlSafeText(text: string): string {
  return removeUnsafeCharacters(text)
}
