import { XMLParser } from 'fast-xml-parser'
import { and, buildQueryXml, field, or, udfField } from '../../../server/src/adapters/autotask/soap/query-xml'
import { toXmlSafeText } from '../../../server/src/adapters/autotask/soap/xml-text'

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, htmlEntities: true })

describe('QueryXML builder', () => {
  it('escapes markup, CDATA terminators and quotes so the value parses back unchanged when it is hostile', () => {
    const value = `a<b>&c]]>d"e'f Ωмир 日本 😀`
    const xml = buildQueryXml('Ticket', field('Title', 'Equals', value))
    expect(xml).not.toContain(']]>')
    const parsed = parser.parse(xml) as { queryxml: { query: { field: { expression: { '#text': string } } } } }
    expect(parsed.queryxml.query.field.expression['#text']).toBe(value)
  })

  it('renders nested groups with OR joins on every sibling after the first when conditions nest', () => {
    const xml = buildQueryXml('Ticket', and(field('Status', 'NotEqual', 5), or(field('id', 'Equals', 1), field('id', 'Equals', 2))))
    expect(xml).toBe(
      '<queryxml><entity>Ticket</entity><query><condition><field>Status<expression op="notequal">5</expression></field></condition>' +
        '<condition><condition><field>id<expression op="equals">1</expression></field></condition><condition operator="OR"><field>id<expression op="equals">2</expression></field></condition></condition></query></queryxml>',
    )
  })

  it('marks user-defined fields and writes datetimes in Eastern time when given a UDF and a Date', () => {
    const xml = buildQueryXml(
      'Ticket',
      and(udfField('Cluster ID', 'Equals', 'CL-1'), field('LastActivityDate', 'GreaterThanOrEquals', new Date('2025-07-01T12:00:00Z'))),
    )
    expect(xml).toContain('<field udf="true">Cluster ID<expression op="equals">CL-1</expression></field>')
    expect(xml).toContain('<expression op="greaterthanorequals">2025-07-01T08:00:00</expression>')
  })

  it('refuses field names that could inject markup when a name is not an identifier', () => {
    expect(() => field('Title><x', 'Equals', 'a')).toThrow(RangeError)
    expect(() => field('', 'Equals', 'a')).toThrow(RangeError)
    expect(() => buildQueryXml('Ticket<', field('id', 'Equals', 1))).toThrow(RangeError)
  })

  it('refuses more than 500 OR joins when a query would exceed Autotask limit', () => {
    const many = or(...Array.from({ length: 502 }, (_, index) => field('id', 'Equals', index)))
    expect(() => buildQueryXml('Ticket', many)).toThrow(/500/)
  })

  it('drops XML-illegal characters and lone surrogates but keeps pairs when text is sanitised', () => {
    expect(toXmlSafeText('a\u0000b\u0008c\td\uD800e\uDC00f😀\uFFFEg')).toBe('abc\tdef😀g')
  })
})
