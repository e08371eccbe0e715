import { generatedAppSecret } from '../../src/config/app-secret.ts';

// One of several processes racing to create the same data folder's secret: waits for the start time, then prints
// the secret it ended up with.
const [dir, startAt] = [process.env.SECRET_DIR ?? '', Number(process.env.START_AT ?? 0)];
while (Date.now() < startAt) { /* spin: every child starts creating at the same instant */ }
process.stdout.write(`${generatedAppSecret(dir)}\n`);
