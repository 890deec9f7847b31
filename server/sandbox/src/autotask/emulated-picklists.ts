import type { EmulatedEntityName } from './field-metadata'

export interface EmulatedPicklistValue {
  value: number
  label: string
  isDefault: boolean
  isActive: boolean
  isSystem: boolean
  sortOrder: number
  parentValue?: number
}

export type EmulatedPicklists = Partial<Record<EmulatedEntityName, Record<string, EmulatedPicklistValue[]>>>

type Row = [value: number, label: string, flags?: string]

/** Flags: d default, x inactive, s system. Sort order follows the row order. */
function picklist(rows: Row[]): EmulatedPicklistValue[] {
  return rows.map(([value, label, flags = ''], index) => ({
    value,
    label,
    isDefault: flags.includes('d'),
    isActive: !flags.includes('x'),
    isSystem: flags.includes('s'),
    sortOrder: index + 1,
  }))
}

const noteTypes: Row[] = [
  [1, 'Task Summary'],
  [2, 'Task Detail'],
  [3, 'Task Notes', 'd'],
  [13, 'Workflow Rule Note - Task', 's'],
  [15, 'Duplicate Ticket Note', 's'],
  [17, 'Surveys', 's'],
  [18, 'Client Portal Note', 's'],
  [91, 'Workflow Rule Action Note', 's'],
  [92, 'Forward/Modify Note', 's'],
  [93, 'Merged Into Ticket', 's'],
  [94, 'Absorbed Another Ticket', 's'],
  [99, 'RMM Note', 's'],
  [101, 'Email Note', 's'],
]

/** The values a fresh Autotask database usually ships with (AUTOTASK_FACTS 2.5). */
export function createDefaultPicklists(): EmulatedPicklists {
  return {
    Ticket: {
      Priority: picklist([
        [1, 'High'],
        [2, 'Medium', 'd'],
        [3, 'Low'],
        [4, 'Critical'],
      ]),
      Status: picklist([
        [1, 'New', 'ds'],
        [5, 'Complete', 's'],
        [7, 'Waiting Customer', 's'],
        [8, 'In Progress'],
        [9, 'Waiting Materials'],
        [10, 'Dispatched'],
        [11, 'Escalate'],
        [12, 'Waiting Vendor'],
        [13, 'Waiting Approval'],
        [14, 'On Hold (retired)', 'x'],
      ]),
      QueueID: picklist([
        [5, 'Client Portal'],
        [6, 'Post Sale'],
        [8, 'Level I Support', 'd'],
        [29682833, 'Level II Support'],
        [29682969, 'Monitoring Alert'],
      ]),
      Source: picklist([
        [-2, 'Insourced'],
        [-1, 'Client Portal'],
        [2, 'Phone'],
        [4, 'Email', 'd'],
        [6, 'Web Portal'],
        [8, 'Monitoring Alert'],
      ]),
      TicketType: picklist([
        [1, 'Service Request', 'd'],
        [2, 'Incident'],
        [3, 'Problem'],
        [4, 'Change Request'],
        [5, 'Alert'],
      ]),
      TicketCategory: picklist([
        [2, 'AEM Alert'],
        [3, 'Standard', 'd'],
        [4, 'RMA'],
      ]),
      IssueType: picklist([
        [1, 'Hardware'],
        [2, 'Software'],
        [3, 'Network'],
      ]),
      ServiceLevelAgreementID: picklist([[1, 'Standard SLA']]),
    },
    TicketNote: {
      NoteType: picklist(noteTypes),
      Publish: picklist([
        [1, 'All Autotask Users', 'd'],
        [2, 'Internal Project Team'],
        [4, 'Internal & Co-Managed'],
      ]),
    },
    InstalledProduct: {
      Type: picklist([
        [1, 'Server'],
        [2, 'Workstation'],
        [3, 'Cluster', 'd'],
      ]),
    },
    Account: {
      AccountType: picklist([
        [1, 'Customer', 'd'],
        [2, 'Lead'],
        [3, 'Prospect'],
        [4, 'Dead'],
        [6, 'Cancelation'],
        [7, 'Vendor'],
        [8, 'Partner'],
      ]),
    },
    Resource: {
      UserType: picklist([
        [1, 'Administrator'],
        [7, 'API User (system)'],
        [8, 'Full Access', 'd'],
      ]),
      PayrollType: picklist([
        [1, 'Salary', 'd'],
        [2, 'Hourly'],
      ]),
      Greeting: picklist([
        [1, 'Mr.'],
        [2, 'Mrs.'],
        [3, 'Ms.'],
      ]),
      Suffix: picklist([
        [1, 'Jr.'],
        [2, 'Sr.'],
      ]),
      LicenseType: picklist([
        [1, 'Professional'],
        [7, 'API User'],
      ]),
    },
  }
}

/**
 * A second database whose tenant-specific ids all differ from the usual defaults (only the system
 * statuses New 1, Complete 5 and Waiting Customer 7 keep their numbers), so nothing in PSA Link can
 * work by assuming default ids.
 */
export function createAlternatePicklists(): EmulatedPicklists {
  const defaults = createDefaultPicklists()
  return {
    ...defaults,
    Ticket: {
      Priority: picklist([
        [11, 'Critical'],
        [12, 'High'],
        [13, 'Medium', 'd'],
        [15, 'Low'],
      ]),
      Status: picklist([
        [1, 'New', 'ds'],
        [5, 'Complete', 's'],
        [7, 'Waiting Customer', 's'],
        [21, 'In Progress'],
        [22, 'Waiting Vendor'],
        [23, 'Scheduled'],
        [24, 'Escalate'],
      ]),
      QueueID: picklist([
        [301, 'Service Desk', 'd'],
        [302, 'Escalations'],
        [303, 'Field Services'],
      ]),
      Source: picklist([
        [2, 'Insourced'],
        [40, 'E-mail', 'd'],
        [41, 'Telephone'],
        [42, 'Partner Portal'],
      ]),
      TicketType: picklist([
        [1, 'Service Request', 'd'],
        [2, 'Incident'],
        [3, 'Problem'],
        [4, 'Change Request'],
        [5, 'Alert'],
      ]),
      TicketCategory: picklist([
        [3, 'Standard'],
        [105, 'Managed Cluster', 'd'],
      ]),
      IssueType: picklist([
        [31, 'Cluster'],
        [32, 'Storage'],
      ]),
    },
    TicketNote: {
      NoteType: picklist([
        [1, 'Task Summary'],
        [2, 'Task Detail'],
        [3, 'Task Notes'],
        [13, 'Workflow Rule Note - Task', 's'],
        [93, 'Merged Into Ticket', 's'],
        [94, 'Absorbed Another Ticket', 's'],
        [201, 'Customer Communication', 'd'],
        [202, 'Internal Remark'],
      ]),
      Publish: picklist([
        [1, 'All Autotask Users', 'd'],
        [2, 'Internal Users'],
        [4, 'Internal & Co-Managed'],
      ]),
    },
  }
}
