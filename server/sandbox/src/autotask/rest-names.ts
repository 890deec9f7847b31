import type { EmulatedEntityName, EmulatedField } from './field-metadata'
import { emulatedEntityNames, emulatedFields } from './field-metadata'

/**
 * REST names of the emulated entities and fields. REST v1.0 renamed the SOAP entities (Ticket →
 * Tickets, InstalledProduct → ConfigurationItems, Account → Companies) and camel-cased the fields,
 * renaming those that said Account or InstalledProduct (AUTOTASK_FACTS 5.1).
 */

export const restEntityNames: Record<EmulatedEntityName, string> = {
  Ticket: 'Tickets',
  TicketNote: 'TicketNotes',
  InstalledProduct: 'ConfigurationItems',
  Account: 'Companies',
  Resource: 'Resources',
}

const renamedFields: Partial<Record<EmulatedEntityName, Record<string, string>>> = {
  Ticket: {
    AccountID: 'companyID',
    InstalledProductID: 'configurationItemID',
    AllocationCodeID: 'billingCodeID',
    AccountPhysicalLocationID: 'companyLocationID',
    ProblemTicketId: 'problemTicketID',
    OpportunityId: 'opportunityID',
  },
  InstalledProduct: {
    AccountID: 'companyID',
    Active: 'isActive',
    Type: 'configurationItemType',
    ParentInstalledProductID: 'parentConfigurationItemID',
    AccountPhysicalLocationID: 'companyLocationID',
  },
  Account: {
    AccountName: 'companyName',
    AccountNumber: 'companyNumber',
    AccountType: 'companyType',
    Active: 'isActive',
    ParentAccountID: 'parentCompanyID',
    BillToAccountPhysicalLocationID: 'billToCompanyLocationID',
    InvoiceNonContractItemsToParentAccount: 'invoiceNonContractItemsToParentCompany',
    SurveyAccountRating: 'surveyCompanyRating',
  },
  Resource: { Active: 'isActive' },
}

/** `LastActivityDate` → `lastActivityDate`, `RMMDeviceID` → `rmmDeviceID`: a leading acronym goes lower case. */
export function camelCase(name: string): string {
  const leading = /^[A-Z]+/.exec(name)?.[0] ?? ''
  if (leading.length <= 1 || leading.length === name.length) return name.charAt(0).toLowerCase() + name.slice(1)
  const keep = /[a-z]/.test(name.charAt(leading.length)) ? leading.length - 1 : leading.length
  return name.slice(0, keep).toLowerCase() + name.slice(keep)
}

export function restFieldName(entity: EmulatedEntityName, field: EmulatedField): string {
  if (field.name === 'id') return 'id'
  return renamedFields[entity]?.[field.name] ?? camelCase(field.name)
}

const byRestName = new Map<EmulatedEntityName, Map<string, EmulatedField>>(
  emulatedEntityNames.map((entity) => [entity, new Map(emulatedFields[entity].map((field) => [restFieldName(entity, field).toLowerCase(), field]))]),
)

/** The field a REST name means, ignoring case as Autotask's REST API does. */
export function findRestField(entity: EmulatedEntityName, restName: string): EmulatedField | undefined {
  return byRestName.get(entity)?.get(restName.toLowerCase())
}

/** The emulated entity a REST path segment names (case-insensitive). */
export function entityFromRestName(segment: string): EmulatedEntityName | undefined {
  const lower = segment.toLowerCase()
  return emulatedEntityNames.find((entity) => restEntityNames[entity].toLowerCase() === lower)
}

/** Rewrites the SOAP field names in one of the database's validation messages into REST's. */
export function restMessage(entity: EmulatedEntityName, message: string): string {
  return message.replace(/(?<=\b(?:field|for) )\w+/g, (name) => {
    const field = emulatedFields[entity].find((candidate) => candidate.name === name)
    return field ? restFieldName(entity, field) : name
  })
}
