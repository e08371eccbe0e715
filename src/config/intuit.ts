/** Intuit's published endpoints per environment (docs/qbo-behaviour.md §1.2 and §2). */
export const intuitDiscoveryUrl = {
  sandbox: 'https://developer.api.intuit.com/.well-known/openid_sandbox_configuration',
  production: 'https://developer.api.intuit.com/.well-known/openid_configuration',
} as const;

export const intuitApiBase = {
  sandbox: 'https://sandbox-quickbooks.api.intuit.com',
  production: 'https://quickbooks.api.intuit.com',
} as const;

/** The emulator's default app keys (docs/design.md, emulator `--client-id/--client-secret`). */
export const emulatorClient = { id: 'emulator-client', secret: 'emulator-secret' } as const;
