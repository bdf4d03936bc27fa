// Drives @mailchimp/mailchimp_transactional against KEYWARDEN_COMPAT_BASE_URL (the sandbox, or a gateway).
// Environment: KEYWARDEN_COMPAT_BASE_URL, KEYWARDEN_COMPAT_KEY, optional KEYWARDEN_COMPAT_REVOKED_KEY.
// Prints one JSON object: {"ok":true,"results":{...}} or {"ok":false,"step":...}.
//
// Pointing the client elsewhere: the client has no option for it. The URL is hard-coded as the instance's
// basePath property ('https://mandrillapp.com/api/1.3') and post() builds basePath + '/users/ping' (+ '.json'
// when an output format is chosen), so the script sets client.basePath = <base>/api/1.3 on each instance.
//
// The client never throws: on an HTTP error it resolves to the axios error, with the Mandrill error in
// error.response.data and the HTTP status in error.response.status.
import { randomBytes } from 'node:crypto';
import mailchimpTransactional from '@mailchimp/mailchimp_transactional';
import { baseUrl, requiredEnv, run } from './lib.mjs';

const base = baseUrl();
const key = requiredEnv('KEYWARDEN_COMPAT_KEY');
const revokedKey = process.env.KEYWARDEN_COMPAT_REVOKED_KEY;
const run_id = randomBytes(4).toString('hex');

function client(apiKey) {
  const instance = mailchimpTransactional(apiKey);
  instance.basePath = base + 'api/1.3';
  return instance;
}

const mandrill = client(key);

// A call the client answered with an error instead of a value.
function expectError(answer) {
  if (answer?.isAxiosError !== true) {
    throw new Error('expected an error, got ' + JSON.stringify(answer));
  }
  return { http_status: answer.response?.status ?? null, ...(answer.response?.data ?? {}) };
}

function expectValue(answer) {
  if (answer?.isAxiosError === true) {
    const error = new Error(`HTTP ${answer.response?.status}: ${JSON.stringify(answer.response?.data)}`);
    error.response = answer.response;
    throw error;
  }
  return answer;
}

const message = (subject) => ({
  subject,
  from_email: 'compat@example.com',
  from_name: 'Keywarden compat',
  html: '<p>Hello from the compatibility test</p>',
  to: [
    { email: `first.${run_id}@example.com`, type: 'to' },
    { email: `second.${run_id}@example.com`, type: 'cc' },
  ],
});

await run({
  ping: async () => expectValue(await mandrill.users.ping()),
  info: async () => {
    const info = expectValue(await mandrill.users.info({ outputFormat: 'json' }));
    return {
      username: info.username,
      created_at: info.created_at,
      public_id: info.public_id,
      reputation: info.reputation,
      hourly_quota: info.hourly_quota,
      backlog: info.backlog,
      has_stats: typeof info.stats?.all_time?.sent === 'number',
    };
  },
  send: async () => expectValue(await mandrill.messages.send({ message: message(`Compat ${run_id}`) })),
  addTemplate: async () => {
    const template = expectValue(await mandrill.templates.add({
      name: `Compat ${run_id}`,
      code: '<p>*|NAME|*</p>',
      subject: 'Template subject',
      from_email: 'compat@example.com',
      publish: true,
    }));
    return { slug: template.slug, name: template.name };
  },
  sendTemplate: async (r) =>
    expectValue(await mandrill.messages.sendTemplate({
      template_name: r.addTemplate.slug,
      template_content: [{ name: 'main', content: 'Hello' }],
      message: message(`Template ${run_id}`),
    })),
  unknownTemplate: async () =>
    expectError(await mandrill.messages.sendTemplate({
      template_name: `missing-${run_id}`,
      template_content: [],
      message: message('never sent'),
    })),
  invalidMessage: async () => expectError(await mandrill.messages.send({ message: { subject: 'no recipients' } })),
  revokedKey: async () => (revokedKey ? expectError(await client(revokedKey).users.ping()) : null),
});
