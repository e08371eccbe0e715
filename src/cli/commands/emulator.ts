import type { Command } from 'commander';
import { UserError } from '../context.ts';
import { startEmulator } from '../../emulator/index.ts';
import { say } from '../output.ts';

interface EmulatorFlags {
  port: string;
  host: string;
  latencyMs?: string;
  autoConsent?: boolean;
  limits: boolean;
  clientId?: string;
  clientSecret?: string;
  state?: string;
  acceptDuplicateDocNumbers?: boolean;
  requestidTtl?: string;
  queryLagMs?: string;
  webhookUrl?: string;
  webhookVerifier?: string;
  webhookBackoffScale?: string;
}

function nonNegativeInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} must be a whole number ≥ 0 (got ${JSON.stringify(value)})`);
  return n;
}

export function register(program: Command): void {
  program
    .command('emulator')
    .description('run the local QuickBooks Online emulator (OAuth + Accounting API) until Ctrl-C')
    .option('--port <port>', 'port to listen on', '4100')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--latency-ms <ms>', 'delay added to every API answer')
    .option('--auto-consent', 'answer the authorize page at once with the default realm')
    .option('--no-limits', "switch off QBO's throttles (10/s, 500/min, 40 batch calls/min per realm)")
    .option('--client-id <id>', 'registered app client id (default emulator-client)')
    .option('--client-secret <secret>', 'registered app client secret (default emulator-secret)')
    .option('--state <file>', 'keep the emulator data in this file across restarts')
    .option('--accept-duplicate-doc-numbers', "accept a repeated DocNumber (a company whose duplicate-number warning is off)")
    .option('--requestid-ttl <seconds>', 'how long a requestid answer is replayed (0: not at all; default: for ever)')
    .option('--query-lag-ms <ms>', 'created or changed entities show in query results only this long after the write')
    .option('--webhook-url <url>', "POST Intuit's eventNotifications for every change to this URL")
    .option('--webhook-verifier <token>', 'verifier token that signs each delivery (intuit-signature)')
    .option('--webhook-backoff-scale <factor>', "multiplies Intuit's 20/30/50-minute retry delays (e.g. 0.001 for tests)")
    .action(async (flags: EmulatorFlags) => {
      if ((flags.clientId === undefined) !== (flags.clientSecret === undefined)) {
        throw new UserError('--client-id and --client-secret go together');
      }
      if ((flags.webhookUrl === undefined) !== (flags.webhookVerifier === undefined)) {
        throw new UserError('--webhook-url and --webhook-verifier go together');
      }
      if (flags.webhookUrl !== undefined && !/^https?:\/\//.test(flags.webhookUrl)) throw new UserError(`--webhook-url must be an http(s) URL (got ${JSON.stringify(flags.webhookUrl)})`);
      const scale = flags.webhookBackoffScale === undefined ? undefined : Number(flags.webhookBackoffScale);
      if (scale !== undefined && (!Number.isFinite(scale) || scale <= 0)) throw new UserError(`--webhook-backoff-scale must be a number > 0 (got ${JSON.stringify(flags.webhookBackoffScale)})`);
      const emulator = await startEmulator({
        port: nonNegativeInt(flags.port, '--port'),
        host: flags.host,
        limits: flags.limits,
        ...(flags.latencyMs !== undefined ? { latencyMs: nonNegativeInt(flags.latencyMs, '--latency-ms') } : {}),
        ...(flags.autoConsent ? { autoConsent: true } : {}),
        ...(flags.clientId !== undefined ? { clientId: flags.clientId } : {}),
        ...(flags.clientSecret !== undefined ? { clientSecret: flags.clientSecret } : {}),
        ...(flags.state !== undefined ? { stateFile: flags.state } : {}),
        ...(flags.acceptDuplicateDocNumbers ? { acceptDuplicateDocNumbers: true } : {}),
        ...(flags.requestidTtl !== undefined ? { requestIdTtlSeconds: nonNegativeInt(flags.requestidTtl, '--requestid-ttl') } : {}),
        ...(flags.queryLagMs !== undefined ? { queryLagMs: nonNegativeInt(flags.queryLagMs, '--query-lag-ms') } : {}),
        ...(flags.webhookUrl !== undefined ? { webhookUrl: flags.webhookUrl } : {}),
        ...(flags.webhookVerifier !== undefined ? { webhookVerifier: flags.webhookVerifier } : {}),
        ...(scale !== undefined ? { webhookBackoffScale: scale } : {}),
      });
      say(`QuickBooks Online emulator listening on ${emulator.url}`);
      say(`Default realm id: ${emulator.defaultRealmId}`);
      say(`Discovery: ${emulator.url}/.well-known/openid_sandbox_configuration   API base: ${emulator.url}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emulator.close();
      say('Emulator stopped.');
    });
}
