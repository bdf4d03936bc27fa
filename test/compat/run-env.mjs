// An application started by `keywarden run`: it takes everything from the environment keywarden gives it, as an
// application would, and calls the gateway with the official npm client of its upstream.
//
//   Marketing:     MAILCHIMP_API_KEY (the token, -dc suffixed), MAILCHIMP_SERVER_PREFIX, MAILCHIMP_BASE_URL (<gateway>/3.0)
//   Transactional: MANDRILL_API_KEY (the token), MANDRILL_BASE_URL (<gateway>/api/1.3)
//
// RUN_ENV_MODE=call (default): ping and a list, then one JSON line {"ok":true,"pid":…,"keywarden_variables":[…],"results":{…}}.
// RUN_ENV_MODE=wait: prints {"ready":true,"pid":…}, then waits for a signal: SIGTERM and SIGHUP print {"signal":NAME}
// and exit; SIGINT is left to its default (the process dies of it).
// RUN_ENV_EXIT: the exit code (default 0). RUN_ENV_TOKEN_FILE: where to write the token it was given, for the test to
// look for it where it must not be (argv, output).
import { writeFileSync } from 'node:fs';
import mailchimp from '@mailchimp/mailchimp_marketing';
import mailchimpTransactional from '@mailchimp/mailchimp_transactional';
import { fail, run } from './lib.mjs';

const exitCode = Number(process.env.RUN_ENV_EXIT ?? '0');
const marketingKey = process.env.MAILCHIMP_API_KEY;
const transactionalKey = process.env.MANDRILL_API_KEY;
const key = marketingKey ?? transactionalKey;
if (!key) {
  fail('config', new Error('neither MAILCHIMP_API_KEY nor MANDRILL_API_KEY is set'));
}

if (process.env.RUN_ENV_TOKEN_FILE) {
  writeFileSync(process.env.RUN_ENV_TOKEN_FILE, key.replace(/-[a-z]+[0-9]+$/, ''), { mode: 0o600 });
}

const keywardenVariables = Object.keys(process.env).filter((name) => name.startsWith('KEYWARDEN_')).sort();

if (process.env.RUN_ENV_MODE === 'wait') {
  for (const signal of ['SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stdout.write(JSON.stringify({ signal }) + '\n');
      process.exit(exitCode);
    });
  }
  setTimeout(() => process.exit(99), 60_000); // never left behind
  process.stdout.write(JSON.stringify({ ready: true, pid: process.pid }) + '\n');
} else {
  if (marketingKey) {
    mailchimp.setConfig({ apiKey: marketingKey, server: process.env.MAILCHIMP_SERVER_PREFIX });
    mailchimp.basePath = process.env.MAILCHIMP_BASE_URL;
    await run({
      pid: () => process.pid,
      keywarden_variables: () => keywardenVariables,
      server: () => process.env.MAILCHIMP_SERVER_PREFIX,
      ping: () => mailchimp.ping.get(),
      lists: async () => (await mailchimp.lists.getAllLists({ count: 10 })).total_items,
    });
    process.exitCode = exitCode;
  } else {
    const client = mailchimpTransactional(transactionalKey);
    client.basePath = process.env.MANDRILL_BASE_URL;
    const answer = (value) => {
      if (value?.isAxiosError === true) {
        throw new Error(`HTTP ${value.response?.status}: ${JSON.stringify(value.response?.data)}`);
      }
      return value;
    };
    await run({
      pid: () => process.pid,
      keywarden_variables: () => keywardenVariables,
      ping: async () => answer(await client.users.ping()),
      info: async () => answer(await client.users.info()).username,
    });
    process.exitCode = exitCode;
  }
}
