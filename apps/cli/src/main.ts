#!/usr/bin/env node
import { parseArgs, UsageError } from './args';
import { listen } from './listen.command';
import { push } from './push.command';

const USAGE = `imgate — command-line client for an imgate cluster (built on @imgate/sdk)

  imgate listen (--mid 123 | --token JWT) [--room live://1000] [--join live://2,live://3]
                [--url ws://127.0.0.1:3102/sub[,…] | --logic http://127.0.0.1:3111]
                [--transport ws|wss|tcp|tls|kcp] [--ca ca.pem] [--accepts 1000,1001] [--checksum]
      connect (to the given comets, or to those logic lists), keep the link alive, reconnect
      and fail over by itself, and print every message that arrives

  imgate push (--keys k1,k2 | --mids 1,2 | --room live://1000 | --all [--speed N])
              [--op 1000] [--logic http://127.0.0.1:3111] [--api-key KEY] MESSAGE
      push MESSAGE through logic's HTTP API and print logic's answer; the API key (one of
      logic's LOGIC_API_KEYS) comes from --api-key or IMGATE_API_KEY
`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { options, positional } = parseArgs(rest, ['checksum', 'all']);
  if (command === 'listen') return listen(options);
  if (command === 'push') return push(options, positional, process.env);
  console.log(USAGE);
  if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
  else console.error((err as Error).message);
  process.exit(2);
});
