// The npm SDK ships CommonJS without types; src/lib/zaf.ts gives it its real shape.
declare module 'zendesk_app_framework_sdk' {
  const ZAFClient: unknown
  export default ZAFClient
}
