/**
 * Field metadata of the emulated entities, modelled on what Autotask's GetFieldInfo returned for
 * API version 1.6.8 (names in the order of the v1.6 WSDL, types, lengths and flags). One line per
 * field: `Name type[(length)] flags [>ReferenceEntity] [^PicklistParentField] "Label"`, flags being
 * R required, O read-only, Q queryable, P picklist (`-` for none). A field that is both required
 * and read-only (InstalledProduct.AccountID) can be set on create only.
 */
export type AutotaskFieldType = 'int' | 'long' | 'string' | 'datetime' | 'boolean' | 'double' | 'decimal' | 'short'

export interface EmulatedField {
  name: string
  type: AutotaskFieldType
  length: number
  isRequired: boolean
  isReadOnly: boolean
  isQueryable: boolean
  isPickList: boolean
  referenceEntityType: string | null
  picklistParentValueField: string | null
  label: string
}

export const emulatedEntityNames = ['Ticket', 'TicketNote', 'InstalledProduct', 'Account', 'Resource'] as const
export type EmulatedEntityName = (typeof emulatedEntityNames)[number]

const fieldTables: Record<EmulatedEntityName, string> = {
  Ticket: `
    id long ROQ "Ticket ID"
    AccountID int RQ >Account "Client"
    AllocationCodeID int Q >AllocationCode "Allocation Code Name"
    CompletedDate datetime OQ "Ticket Date Completed by Complete Project Wizard"
    ContactID int Q >Contact "Ticket Contact"
    ContractID int Q >Contract "Contract"
    CreateDate datetime OQ "Ticket Creation Date"
    CreatorResourceID int OQ >Resource "Ticket Creator"
    Description string(8000) Q "Ticket Description"
    DueDateTime datetime Q "Ticket End Date"
    EstimatedHours double Q "Ticket Estimated Hours"
    InstalledProductID int Q >InstalledProduct "Configuration Item"
    IssueType int QP "Ticket Issue"
    LastActivityDate datetime OQ "Ticket Last Activity Date"
    Priority int RQP "Ticket Priority"
    QueueID int QP "Ticket Department Name OR Ticket Queue Name"
    AssignedResourceID int Q >Resource "Resource"
    AssignedResourceRoleID int Q >Role "Resource Role Name"
    Source int QP "Ticket Source"
    Status int RQP "Ticket Status"
    SubIssueType int QP ^IssueType "Ticket Subissue Type"
    TicketNumber string(50) Q "Ticket Number"
    Title string(255) RQ "Ticket Title"
    FirstResponseDateTime datetime OQ "First Response Date Time"
    ResolutionPlanDateTime datetime OQ "Resolution Plan Date Time"
    ResolvedDateTime datetime OQ "Resolved Date Time"
    FirstResponseDueDateTime datetime OQ "First Response Due Date Time"
    ResolutionPlanDueDateTime datetime OQ "Resolution Plan Due Date Time"
    ResolvedDueDateTime datetime OQ "Resolved Due Date Time"
    ServiceLevelAgreementID int QP "Service Level Agreement ID"
    ServiceLevelAgreementHasBeenMet boolean OQ "Has Met SLA"
    Resolution string(32000) Q "Resolution"
    PurchaseOrderNumber string(50) Q "purchase_order_number"
    TicketType int QP "Ticket Type"
    ProblemTicketId int Q >Ticket "Problem Ticket ID"
    OpportunityId int Q >Opportunity "Opportunity ID"
    ChangeApprovalBoard int QP "Change Approval Board ID"
    ChangeApprovalType int QP "Change Approval Type"
    ChangeApprovalStatus int QP "Change Approval Status"
    ChangeInfoField1 string(8000) Q "Change Info Field 1"
    ChangeInfoField2 string(8000) Q "Change Info Field 2"
    ChangeInfoField3 string(8000) Q "Change Info Field 3"
    ChangeInfoField4 string(8000) Q "Change Info Field 4"
    ChangeInfoField5 string(8000) Q "Change Info Field 5"
    LastCustomerNotificationDateTime datetime OQ "Last Customer Notification"
    LastCustomerVisibleActivityDateTime datetime OQ "Last Customer Visible Activity"
    ContractServiceID long Q >ContractService "Contract Service ID"
    ContractServiceBundleID long Q >ContractServiceBundle "Contract Service Bundle ID"
    HoursToBeScheduled decimal OQ "Hours to be Scheduled"
    MonitorTypeID int QP "Monitor Type ID"
    MonitorID int Q "Monitor ID"
    AEMAlertID string(50) OQ "AEM Alert ID"
    TicketCategory int QP "Ticket Category"
    ExternalID string(50) Q "Ticket External ID"
    FirstResponseInitiatingResourceID int OQ "First Response Initiating Resource"
    FirstResponseAssignedResourceID int OQ "First Response Assigned Resource"
    ProjectID int Q >Project "Project ID"
    BusinessDivisionSubdivisionID int Q >BusinessDivisionSubdivision "Business Division Subdivision ID"
    CreatorType int OP "Creator Type"
    CompletedByResourceID int OQ >Resource "Ticket Completed By"
    AccountPhysicalLocationID int Q >AccountPhysicalLocation "Account Physical Location"
    LastActivityPersonType int OP "Last Activity Person Type"
    LastActivityResourceID int OQ >Resource "Last Edited Resource ID"
    ServiceLevelAgreementPausedNextEventHours decimal O "Next Service Level Agreement Event in Hours"
    CurrentServiceThermometerRating int OQP "Current Service Thermometer Rating"
    PreviousServiceThermometerRating int OQP "Previous Service Thermometer Rating"
    ServiceThermometerTemperature int OQ "Service Thermometer Temperature"
    ApiVendorID int OQP "API Vendor ID"
  `,
  TicketNote: `
    id long ROQ "Ticket Note ID"
    CreatorResourceID int OQ >Resource "Creator Resource"
    Description string(32000) RQ "Description"
    LastActivityDate datetime OQ "LastActivityDate"
    NoteType int RQP "Note Type"
    Publish int RQP "Publish"
    TicketID int RQ >Ticket "Ticket"
    Title string(250) Q "Title"
    ImpersonatorCreatorResourceID int OQ >Resource "Impersonator Creator Resource ID"
    ImpersonatorUpdaterResourceID int OQ >Resource "Impersonator Updater Resource ID"
    CreateDateTime datetime OQ "Create Date Time"
  `,
  InstalledProduct: `
    id long ROQ "Configuration Item ID"
    CreateDate datetime OQ "CreateDate"
    AccountID int ROQ >Account "Client"
    Active boolean RQ "Product Active"
    DailyCost double Q "Configuration Item Daily Cost"
    HourlyCost double Q "Configuration Item Hourly Cost"
    InstallDate datetime Q "Install Date"
    MonthlyCost double Q "Configuration Item Monthly Cost"
    Notes string(5000) Q "Configuration Item Notes"
    NumberOfUsers double Q "Configuration Item Number of Users"
    PerUseCost double Q "Configuration Item Per Use Cost"
    ProductID int RQ >Product "Product ID"
    ReferenceNumber string(100) Q "Reference Number"
    ReferenceTitle string(200) Q "Reference Title"
    SerialNumber string(100) Q "Serial Number"
    SetupFee double Q "Configuration Item Setup Fee"
    WarrantyExpirationDate datetime Q "Warranty Expiration Date"
    ContractID int Q >Contract "Contract ID"
    ServiceID int Q >Service "Service ID"
    ServiceBundleID int Q >ServiceBundle "Service Bundle ID"
    Type int QP "Configuration Item Type"
    Location string(100) Q "Location"
    ContactID int Q >Contact "Contact Name"
    VendorID int Q >Account "Vendor Name"
    InstalledByID int OQ >Resource "Installed By Resource ID"
    InstalledByContactID int OQ >Contact "Installed By Contact ID"
    ParentInstalledProductID int Q >InstalledProduct "Parent Configuration Item"
    LastModifiedTime datetime OQ "Last Modified Time"
    ContractServiceID int Q >ContractService "Contract Service Id"
    ContractServiceBundleID int Q >ContractServiceBundle "Contract Service Bundle Id"
    ServiceLevelAgreementID int QP "Service Level Agreement"
    AccountPhysicalLocationID int Q >AccountPhysicalLocation "Account Physical Location"
    RMMDeviceID long OQ "RMM Device ID"
    RMMDeviceUID string(255) OQ "RMM Device UID"
    RMMDeviceAuditArchitectureID int OQP "RMM Device Audit Architecture ID"
    RMMDeviceAuditDescription string(255) OQ "RMM Device Audit Description"
    RMMDeviceAuditDisplayAdaptorID int OQP "RMM Device Audit Display Adaptor ID"
    RMMDeviceAuditDomainID int OQP "RMM Device Audit Domain ID"
    RMMDeviceAuditExternalIPAddress string(255) OQ "RMM Device Audit External IP Address"
    RMMDeviceAuditHostname string(255) OQ "RMM Device Audit Hostname"
    RMMDeviceAuditIPAddress string(255) OQ "RMM Device Audit IP Address"
    RMMDeviceAuditMacAddress string(255) OQ "RMM Device Audit Mac Address"
    RMMDeviceAuditManufacturerID int OQP "RMM Device Audit Manufacturer ID"
    RMMDeviceAuditMemoryBytes long OQ "RMM Device Audit Memory Bytes"
    RMMDeviceAuditModelID int OQP "RMM Device Audit Model ID"
    RMMDeviceAuditMotherboardID int OQP "RMM Device Audit Motherboard ID"
    RMMDeviceAuditOperatingSystem string(255) O "RMM Device Audit Operating System"
    RMMDeviceAuditProcessorID int OQP "RMM Device Audit Processor ID"
    RMMDeviceAuditServicePackID int OQP "RMM Device Audit Service Pack ID"
    RMMDeviceAuditStorageBytes long OQ "RMM Device Audit Storage Bytes"
    RMMDeviceAuditDeviceTypeID int OQP "RMM Device Audit Device Type ID"
    RMMDeviceAuditSNMPLocation string(255) OQ "RMM Device Audit SNMP Location"
    RMMDeviceAuditSNMPName string(255) OQ "RMM Device Audit SNMP Name"
    RMMDeviceAuditSNMPContact string(255) OQ "RMM Device Audit SNMP Contact"
    RMMDeviceAuditMobileNetworkOperatorID int OQP "RMM Device Audit Mobile Network Operator ID"
    RMMDeviceAuditMobileNumber string(255) OQ "RMM Device Audit Mobile Number"
    RMMDeviceAuditMissingPatchCount int OQ "RMM Device Audit Missing Patch Count"
    RMMOpenAlertCount int OQ "RMM Open Alert Count"
    RMMDeviceAuditLastUser string(50) OQ "RMM Device Audit Last User"
    DattoSerialNumber string(100) OQ "Datto Serial Number"
    DattoInternalIP string(255) OQ "Datto Internal IP"
    DattoRemoteIP string(255) OQ "Datto Remote IP"
    DattoHostname string(255) OQ "Datto Hostname"
    DattoProtectedKilobytes long OQ "Datto Protected Kilobytes"
    DattoUsedKilobytes long OQ "Datto Used Kilobytes"
    DattoAvailableKilobytes long OQ "Datto Available Kilobytes"
    DattoPercentageUsed double OQ "Datto Percentage Used"
    DattoOffsiteUsedBytes long OQ "Datto Offsite Used Bytes"
    DattoOSVersionID int OQP "Datto OS Version ID"
    DattoZFSVersionID int OQP "Datto ZFS Version ID"
    DattoKernelVersionID int OQP "Datto Kernel Version ID"
    DattoNICSpeedKilobitsPerSecond int OQ "Datto NIC Speed Kilobits Per Second"
    DattoDeviceMemoryMegabytes int OQ "Datto Device Memory Megabytes"
    DattoUptimeSeconds int OQ "Datto Uptime Seconds"
    DattoNumberOfAgents int OQ "Datto Number Of Agents"
    DattoNumberOfDrives int OQ "Datto Number Of Drives"
    DattoDrivesErrors boolean OQ "Datto Drives Errors"
    DattoNumberOfVolumes int OQ "Datto Number Of Volumes"
    DattoLastCheckInDateTime datetime OQ "Datto Last Check In Date Time"
    RMMDeviceAuditAntivirusStatusID int OQP "RMM Device Audit Antivirus Status ID"
    RMMDeviceAuditBackupStatusID int OQP "RMM Device Audit Backup Status ID"
    RMMDeviceAuditPatchStatusID int OQP "RMM Device Audit Patch Status ID"
    RMMDeviceAuditSoftwareStatusID int OQP "RMM Device Audit Software Status ID"
    LastActivityPersonID int OQ >Resource "Last Activity Person ID"
    LastActivityPersonType int OP "Last Activity Person Type"
    CreatedByPersonID int OQ >Resource "Created By Person ID"
    ApiVendorID int OQP "API Vendor ID"
    DeviceNetworkingID string(100) OQ "Device Networking ID"
  `,
  Account: `
    id long ROQ "Client ID"
    Address1 string(128) Q "Address 1"
    Address2 string(128) Q "Address 2"
    AlternatePhone1 string(25) Q "Alternate Phone 1"
    AlternatePhone2 string(25) Q "Alternate Phone 2"
    AssetValue double - "Asset Value"
    City string(30) Q "City"
    CompetitorID int QP "Competitor"
    Country string(100) Q "Country"
    CreateDate datetime OQ "Create Date"
    Fax string(25) Q "Fax"
    KeyAccountIcon int QP "Key Account Icon"
    LastActivityDate datetime OQ "Last Activity Date"
    MarketSegmentID int QP "Market Segment"
    AccountName string(100) RQ "Client Name"
    AccountNumber string(50) Q "Client Number"
    OwnerResourceID int RQ >Resource "Client Owner"
    ParentAccountID int Q >Account "Parent Client"
    Phone string(25) RQ "Phone"
    PostalCode string(10) Q "Postal Code"
    SICCode string(32) - "SIC Code"
    State string(40) Q "County"
    StockMarket string(10) - "Stock Market"
    StockSymbol string(10) - "Stock Symbol"
    TerritoryID int QP "Territory Name"
    AccountType short RQP "Client Type"
    WebAddress string(255) Q "Web"
    Active boolean Q "Account Active"
    ClientPortalActive boolean OQ "Client Portal Active"
    TaskFireActive boolean OQ "TaskFire Active"
    TaxExempt boolean Q "Tax Exempt"
    TaxRegionID int Q >TaxRegion "Tax Region ID"
    TaxID string(50) Q "Tax ID"
    AdditionalAddressInformation string(100) Q "Additional Address Information"
    CountryID int Q >Country "Country ID"
    BillToAddressToUse int OQP "Bill To Address to Use"
    BillToAttention string(50) Q "Bill To Attention"
    BillToAddress1 string(150) OQ "Bill To Address Line 1"
    BillToAddress2 string(150) OQ "Bill To Address Line 2"
    BillToCity string(50) OQ "Bill To City"
    BillToState string(128) OQ "Bill To County"
    BillToZipCode string(50) OQ "Bill To Postal Code"
    BillToCountryID int OQ >Country "Bill To Country ID"
    BillToAdditionalAddressInformation string(100) OQ "Bill To Additional Address Information"
    InvoiceMethod int QP "Transmission Method"
    InvoiceNonContractItemsToParentAccount boolean Q "Invoice non contract items to Parent Client"
    QuoteTemplateID int Q >QuoteTemplate "Quote Template ID"
    QuoteEmailMessageID int Q "Quote Email Message ID"
    InvoiceTemplateID int Q >InvoiceTemplate "Invoice Template ID"
    InvoiceEmailMessageID int Q "Invoice Email Message ID"
    CurrencyID int Q >Currency "Currency ID"
    BillToAccountPhysicalLocationID int Q >AccountPhysicalLocation "Bill To Account Physical Location ID"
    SurveyAccountRating double OQ "Survey Account Rating"
    CreatedByResourceID int OQ >Resource "Created By Resource ID"
    ApiVendorID int OQP "API Vendor ID"
  `,
  Resource: `
    id long ROQ "Resource ID"
    Active boolean RQ "Active"
    Email string(50) RQ "Email"
    Email2 string(50) Q "Email 2"
    Email3 string(50) Q "Email 3"
    EmailTypeCode string(10) Q "Email Type"
    EmailTypeCode2 string(10) Q "Email Type 2"
    EmailTypeCode3 string(10) Q "Email Type 3"
    FirstName string(50) RQ "First Name"
    Gender string(1) Q "Gender"
    Greeting int QP "Greeting"
    HomePhone string(25) Q "Home Phone"
    Initials string(3) Q "Initials"
    LastName string(50) RQ "Last Name"
    LocationID int RQ "Location"
    MiddleName string(50) Q "Middle Name"
    MobilePhone string(25) Q "Mobile Phone"
    OfficeExtension string(10) Q "Office Extension"
    OfficePhone string(25) Q "Office Phone"
    ResourceType string(15) RQ "Resource Type"
    Suffix int QP "Suffix"
    Title string(50) Q "Title"
    TravelAvailabilityPct string(15) Q "Travel Availability Pct"
    UserName string(32) RQ "User Name"
    UserType int RQP "Security Level"
    DefaultServiceDeskRoleID long Q "Default Service Desk Role ID"
    DateFormat string(20) RQ "Date Format"
    TimeFormat string(20) RQ "Time Format"
    Password string(128) - "Password"
    PayrollType int RQP "Payroll Type"
    NumberFormat string(20) RQ "Number Format"
    AccountingReferenceID string(100) Q "Accounting Reference ID"
    InternalCost decimal Q "Internal Cost"
    HireDate datetime Q "Hire Date"
    SurveyResourceRating decimal OQ "Survey Resource Rating"
    LicenseType int OQP "License Type"
  `,
}

function parseFieldLine(line: string): EmulatedField {
  const match = /^(\w+) (\w+)(?:\((\d+)\))? ([ROQP-]+)(?: >(\w+))?(?: \^(\w+))? "(.*)"$/.exec(line.trim())
  if (!match) throw new Error(`bad field line: ${line}`)
  const [, name = '', type = 'string', length, flags = '', reference, parent, label = ''] = match
  return {
    name,
    type: type as AutotaskFieldType,
    length: length ? Number(length) : 0,
    isRequired: flags.includes('R'),
    isReadOnly: flags.includes('O'),
    isQueryable: flags.includes('Q'),
    isPickList: flags.includes('P'),
    referenceEntityType: reference ?? null,
    picklistParentValueField: parent ?? null,
    label,
  }
}

function parseTable(table: string): EmulatedField[] {
  return table
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseFieldLine)
}

export const emulatedFields: Record<EmulatedEntityName, readonly EmulatedField[]> = {
  Ticket: parseTable(fieldTables.Ticket),
  TicketNote: parseTable(fieldTables.TicketNote),
  InstalledProduct: parseTable(fieldTables.InstalledProduct),
  Account: parseTable(fieldTables.Account),
  Resource: parseTable(fieldTables.Resource),
}

export function isEmulatedEntityName(name: string): name is EmulatedEntityName {
  return (emulatedEntityNames as readonly string[]).includes(name)
}

/** Looks a field up by name, ignoring case as Autotask does. */
export function findField(entity: EmulatedEntityName, name: string): EmulatedField | undefined {
  const lower = name.toLowerCase()
  return emulatedFields[entity].find((field) => field.name.toLowerCase() === lower)
}
