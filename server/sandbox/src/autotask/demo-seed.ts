import type { EmulatedDatabase } from './emulated-database'

export interface SeededDemo {
  apiResourceId: number
  technicianIds: number[]
  accountIds: number[]
  installedProductIds: number[]
}

/**
 * Demo data: accounts, resources (the API user and technicians) and InstalledProducts whose
 * ReferenceNumbers are Cluster IDs. CL-1004 is inactive and CL-1005 belongs to two products
 * (the "ambiguous" routing case).
 */
export function seedDemoData(database: EmulatedDatabase, apiUserName: string): SeededDemo {
  const resource = (firstName: string, lastName: string, userName: string, email: string, userType: number) =>
    database.insert('Resource', {
      Active: true,
      FirstName: firstName,
      LastName: lastName,
      UserName: userName,
      Email: email,
      LocationID: 1,
      ResourceType: 'Employee',
      UserType: userType,
      DateFormat: 'MM/dd/yyyy',
      TimeFormat: 'hh:mm a',
      NumberFormat: 'X,XXX.XX',
      PayrollType: 1,
    }).id
  const apiResourceId = resource('PSA Link', 'API', apiUserName.split('@')[0] ?? 'api', apiUserName, 7)
  database.apiResourceId = apiResourceId
  const technicianIds = [resource('Tara', 'Nguyen', 'tnguyen', 'tara.nguyen@demo.test', 8), resource('Jonas', 'Berg', 'jberg', 'jonas.berg@demo.test', 8)]
  const account = (name: string, number: string) =>
    database.insert('Account', {
      AccountName: name,
      AccountNumber: number,
      Phone: '+1 555 0100',
      AccountType: 1,
      OwnerResourceID: technicianIds[0] ?? apiResourceId,
      Active: true,
    }).id
  const accountIds = [account('Northwind Traders', 'NW-001'), account('Contoso Pharmaceuticals', 'CP-002'), account('Fabrikam Robotics', 'FR-003')]
  const product = (accountId: number | undefined, reference: string, title: string, active = true) =>
    database.insert('InstalledProduct', {
      AccountID: accountId ?? 0,
      Active: active,
      ProductID: 1,
      ReferenceNumber: reference,
      ReferenceTitle: title,
      SerialNumber: `SN-${reference}`,
      Type: 3,
    }).id
  const installedProductIds = [
    product(accountIds[0], 'CL-1001', 'Northwind primary cluster'),
    product(accountIds[0], 'CL-1002', 'Northwind DR cluster'),
    product(accountIds[1], 'CL-1003', 'Contoso lab cluster'),
    product(accountIds[1], 'CL-1004', 'Contoso retired cluster', false),
    product(accountIds[1], 'CL-1005', 'Contoso shared cluster (A)'),
    product(accountIds[2], 'CL-1005', 'Fabrikam shared cluster (B)'),
    product(accountIds[2], 'CL-1006', 'Fabrikam production cluster'),
  ]
  return { apiResourceId, technicianIds, accountIds, installedProductIds }
}
