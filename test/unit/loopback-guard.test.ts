describe('the loopback guard of the test setup', () => {
  it('refuses a connection to a host that is not loopback', async () => {
    const failure = await fetch('https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation?user=x').catch((error: Error) => error)
    expect(String((failure as Error & { cause?: Error }).cause?.message)).toContain('tests may only reach loopback addresses')
  })

  it('lets loopback through', async () => {
    await expect(fetch('http://127.0.0.1:9/')).rejects.toThrow(/fetch failed/)
  })
})
