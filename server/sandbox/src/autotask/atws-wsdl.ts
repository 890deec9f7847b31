import { emulatedEntityNames, emulatedFields } from './field-metadata'

export const atwsNamespace = 'http://autotask.net/ATWS/v1_6/'

interface OperationSpec {
  /** Operation name in portType and binding. */
  name: string
  /** Body element of the request (differs from the name only for getEntityInfo). */
  input: string
  output: string
  result: string
  resultType: string
  parameters: string
  withHeader: boolean
}

/** Only the operations PSA Link uses, with Autotask's names, elements and SOAPActions. */
export const atwsOperations: readonly OperationSpec[] = [
  {
    name: 'getZoneInfo',
    input: 'getZoneInfo',
    output: 'getZoneInfoResponse',
    result: 'getZoneInfoResult',
    resultType: 'tns:ATWSZoneInfo',
    parameters: '<s:element minOccurs="0" maxOccurs="1" name="UserName" type="s:string"/>',
    withHeader: false,
  },
  {
    name: 'query',
    input: 'query',
    output: 'queryResponse',
    result: 'queryResult',
    resultType: 'tns:ATWSResponse',
    parameters: '<s:element minOccurs="0" maxOccurs="1" name="sXML" type="s:string"/>',
    withHeader: true,
  },
  {
    name: 'create',
    input: 'create',
    output: 'createResponse',
    result: 'createResult',
    resultType: 'tns:ATWSResponse',
    parameters: '<s:element minOccurs="0" maxOccurs="1" name="Entities" type="tns:ArrayOfEntity"/>',
    withHeader: true,
  },
  {
    name: 'update',
    input: 'update',
    output: 'updateResponse',
    result: 'updateResult',
    resultType: 'tns:ATWSResponse',
    parameters: '<s:element minOccurs="0" maxOccurs="1" name="Entities" type="tns:ArrayOfEntity"/>',
    withHeader: true,
  },
  {
    name: 'GetFieldInfo',
    input: 'GetFieldInfo',
    output: 'GetFieldInfoResponse',
    result: 'GetFieldInfoResult',
    resultType: 'tns:ArrayOfField',
    parameters: '<s:element minOccurs="0" maxOccurs="1" name="psObjectType" type="s:string"/>',
    withHeader: true,
  },
  {
    name: 'getEntityInfo',
    input: 'GetEntityInfo',
    output: 'GetEntityInfoResponse',
    result: 'GetEntityInfoResult',
    resultType: 'tns:ArrayOfEntityInfo',
    parameters: '',
    withHeader: true,
  },
  {
    name: 'getThresholdAndUsageInfo',
    input: 'getThresholdAndUsageInfo',
    output: 'getThresholdAndUsageInfoResponse',
    result: 'getThresholdAndUsageInfoResult',
    resultType: 'tns:ATWSResponse',
    parameters: '',
    withHeader: true,
  },
]

function element(name: string, type: string, min = 0, extra = ''): string {
  return `<s:element minOccurs="${min}" maxOccurs="1" name="${name}" type="${type}"${extra}/>`
}

function arrayOf(name: string, item: string, type: string): string {
  return `<s:complexType name="${name}"><s:sequence><s:element minOccurs="0" maxOccurs="unbounded" name="${item}" nillable="true" type="${type}"/></s:sequence></s:complexType>`
}

function entityTypes(): string {
  return emulatedEntityNames
    .map((entity) => {
      // Entity fields are untyped in Autotask's WSDL; every returned value carries its own xsi:type.
      const fields = emulatedFields[entity]
        .filter((field) => field.name !== 'id')
        .map((field) => `<s:element minOccurs="0" maxOccurs="1" name="${field.name}"/>`)
        .join('')
      return `<s:complexType name="${entity}"><s:complexContent mixed="false"><s:extension base="tns:Entity"><s:sequence>${fields}</s:sequence></s:extension></s:complexContent></s:complexType>`
    })
    .join('\n')
}

function schema(): string {
  const operations = atwsOperations
    .map(
      (operation) =>
        `<s:element name="${operation.input}"><s:complexType>${operation.parameters ? `<s:sequence>${operation.parameters}</s:sequence>` : ''}</s:complexType></s:element>` +
        `<s:element name="${operation.output}"><s:complexType><s:sequence>${element(operation.result, operation.resultType)}</s:sequence></s:complexType></s:element>`,
    )
    .join('\n')
  return `<s:schema elementFormDefault="qualified" targetNamespace="${atwsNamespace}">
<s:complexType name="Entity" abstract="true"><s:sequence>${element('Fields', 'tns:ArrayOfField')}${element('id', 's:long', 1)}${element('UserDefinedFields', 'tns:ArrayOfUserDefinedField')}</s:sequence></s:complexType>
${arrayOf('ArrayOfField', 'Field', 'tns:Field')}
<s:complexType name="Field"><s:sequence>${element('Name', 's:string')}${element('Label', 's:string')}${element('Type', 's:string')}${element('Length', 's:int', 1)}${element('Description', 's:string')}${element('IsRequired', 's:boolean', 1)}${element('IsReadOnly', 's:boolean', 1)}${element('IsQueryable', 's:boolean', 1)}${element('IsReference', 's:boolean', 1)}${element('ReferenceEntityType', 's:string')}${element('IsPickList', 's:boolean', 1)}${element('PicklistValues', 'tns:ArrayOfPickListValue', 1)}${element('PicklistParentValueField', 's:string')}${element('DefaultValue', 's:string')}</s:sequence></s:complexType>
${arrayOf('ArrayOfPickListValue', 'PickListValue', 'tns:PickListValue')}
<s:complexType name="PickListValue"><s:sequence>${element('Value', 's:string')}${element('Label', 's:string')}${element('IsDefaultValue', 's:boolean', 1)}${element('SortOrder', 's:int', 1)}${element('parentValue', 's:string')}${element('IsActive', 's:boolean')}${element('IsSystem', 's:boolean')}</s:sequence></s:complexType>
${arrayOf('ArrayOfUserDefinedField', 'UserDefinedField', 'tns:UserDefinedField')}
<s:complexType name="UserDefinedField"><s:sequence>${element('Name', 's:string')}${element('Value', 's:string')}</s:sequence></s:complexType>
${entityTypes()}
<s:complexType name="ATWSResponse"><s:sequence>${element('ReturnCode', 's:int', 1)}${element('EntityResults', 'tns:ArrayOfEntity')}${element('EntityResultType', 's:string')}${element('Errors', 'tns:ArrayOfATWSError')}${element('EntityReturnInfoResults', 'tns:ArrayOfEntityReturnInfo')}</s:sequence></s:complexType>
${arrayOf('ArrayOfEntity', 'Entity', 'tns:Entity')}
${arrayOf('ArrayOfATWSError', 'ATWSError', 'tns:ATWSError')}
<s:complexType name="ATWSError"><s:sequence>${element('Message', 's:string')}</s:sequence></s:complexType>
${arrayOf('ArrayOfEntityReturnInfo', 'EntityReturnInfo', 'tns:EntityReturnInfo')}
<s:complexType name="EntityReturnInfo"><s:sequence>${element('EntityId', 's:long', 1)}${element('DatabaseAction', 'tns:EntityReturnInfoDatabaseAction', 1)}${element('DuplicateStatus', 'tns:EntityDuplicateStatus', 1)}${element('Message', 's:string')}</s:sequence></s:complexType>
<s:simpleType name="EntityReturnInfoDatabaseAction"><s:restriction base="s:string"><s:enumeration value="None"/><s:enumeration value="Created"/><s:enumeration value="Updated"/></s:restriction></s:simpleType>
<s:complexType name="EntityDuplicateStatus"><s:sequence>${element('Found', 's:boolean', 1)}${element('MatchInfo', 's:string')}${element('Ignored', 's:boolean', 1)}</s:sequence></s:complexType>
<s:complexType name="EntityInfo"><s:sequence>${element('Name', 's:string')}${element('CanUpdate', 's:boolean', 1)}${element('CanDelete', 's:boolean', 1)}${element('CanCreate', 's:boolean', 1)}${element('CanQuery', 's:boolean', 1)}${element('HasUserDefinedFields', 's:boolean', 1)}</s:sequence></s:complexType>
${arrayOf('ArrayOfEntityInfo', 'EntityInfo', 'tns:EntityInfo')}
<s:element name="AutotaskIntegrations" type="tns:AutotaskIntegrations"/>
<s:complexType name="AutotaskIntegrations"><s:sequence>${element('PartnerID', 's:string')}${element('IntegrationCode', 's:string')}${element('ImpersonateAsResourceID', 's:int')}</s:sequence><s:anyAttribute/></s:complexType>
<s:complexType name="ATWSZoneInfo"><s:sequence>${element('URL', 's:string')}${element('ErrorCode', 's:int', 1)}${element('DataBaseType', 's:string')}${element('CI', 's:int', 1)}${element('WebUrl', 's:string')}</s:sequence></s:complexType>
${operations}
</s:schema>`
}

/** The WSDL the emulator serves; `soap:address` is the URL the caller reached us on. */
export function renderAtwsWsdl(endpointUrl: string): string {
  const messages = atwsOperations
    .map(
      (operation) =>
        `<wsdl:message name="${operation.name}SoapIn"><wsdl:part name="parameters" element="tns:${operation.input}"/></wsdl:message>` +
        `<wsdl:message name="${operation.name}SoapOut"><wsdl:part name="parameters" element="tns:${operation.output}"/></wsdl:message>` +
        (operation.withHeader
          ? `<wsdl:message name="${operation.name}AutotaskIntegrations"><wsdl:part name="AutotaskIntegrations" element="tns:AutotaskIntegrations"/></wsdl:message>`
          : ''),
    )
    .join('\n')
  const portOperations = atwsOperations
    .map(
      (operation) =>
        `<wsdl:operation name="${operation.name}"><wsdl:input message="tns:${operation.name}SoapIn"/><wsdl:output message="tns:${operation.name}SoapOut"/></wsdl:operation>`,
    )
    .join('\n')
  const bindingOperations = atwsOperations
    .map((operation) => {
      const action = operation.name === 'getEntityInfo' ? 'GetEntityInfo' : operation.name
      const header = operation.withHeader ? `<soap:header message="tns:${operation.name}AutotaskIntegrations" part="AutotaskIntegrations" use="literal"/>` : ''
      return `<wsdl:operation name="${operation.name}"><soap:operation soapAction="${atwsNamespace}${action}" style="document"/><wsdl:input><soap:body use="literal"/>${header}</wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`
    })
    .join('\n')
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="${atwsNamespace}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${atwsNamespace}">
<wsdl:types>
${schema()}
</wsdl:types>
${messages}
<wsdl:portType name="ATWSSoap">
${portOperations}
</wsdl:portType>
<wsdl:binding name="ATWSSoap" type="tns:ATWSSoap">
<soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
${bindingOperations}
</wsdl:binding>
<wsdl:service name="ATWS">
<wsdl:documentation>PSA Link's Autotask emulator: the part of Autotask Web Services 1.6 that PSA Link uses.</wsdl:documentation>
<wsdl:port name="ATWSSoap" binding="tns:ATWSSoap"><soap:address location="${escapeAttribute(endpointUrl)}"/></wsdl:port>
</wsdl:service>
</wsdl:definitions>
`
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
}
