// Drives @mailchimp/mailchimp_marketing against KEYWARDEN_COMPAT_BASE_URL (the sandbox, or a gateway in front of it).
// Environment: KEYWARDEN_COMPAT_BASE_URL, KEYWARDEN_COMPAT_KEY, optional KEYWARDEN_COMPAT_REVOKED_KEY.
// Prints one JSON object: {"ok":true,"results":{...}} or {"ok":false,"step":...}.
//
// Pointing the client elsewhere: setConfig() only holds apiKey/accessToken/server; the URL is the exported
// client's basePath property (default https://server.api.mailchimp.com/3.0, with "server" replaced by
// config.server). Setting basePath to <base>/3.0 is the supported override.
import { createHash, randomBytes } from 'node:crypto';
import mailchimp from '@mailchimp/mailchimp_marketing';
import { baseUrl, requiredEnv, run } from './lib.mjs';

const base = baseUrl();
const key = requiredEnv('KEYWARDEN_COMPAT_KEY');
const revokedKey = process.env.KEYWARDEN_COMPAT_REVOKED_KEY;
const server = key.includes('-') ? key.slice(key.lastIndexOf('-') + 1) : 'us1';

mailchimp.setConfig({ apiKey: key, server });
mailchimp.basePath = base + '3.0';

const run_id = randomBytes(4).toString('hex');
const emails = ['ada', 'grace', 'linus'].map((name) => `${name}.${run_id}@example.com`);
const hash = (email) => createHash('md5').update(email.toLowerCase()).digest('hex');

// The client's usual error: superagent rejects with err.status and the parsed problem+json in err.response.body.
async function expectError(call) {
  try {
    await call();
  } catch (error) {
    return {
      status: error.status,
      type: error.response?.type ?? null,
      title: error.response?.body?.title ?? null,
      detail: error.response?.body?.detail ?? null,
    };
  }
  throw new Error('expected the call to fail');
}

await run({
  ping: () => mailchimp.ping.get(),
  root: async () => {
    const root = await mailchimp.root.getRoot();
    return { account_id: root.account_id, login_id: root.login_id, account_name: root.account_name, email: root.email };
  },
  createList: async () => {
    const list = await mailchimp.lists.createList({
      name: `Compat ${run_id}`,
      contact: { company: 'Keywarden', address1: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30308', country: 'US' },
      permission_reminder: 'You signed up for compatibility tests.',
      campaign_defaults: { from_name: 'Keywarden', from_email: 'compat@example.com', subject: 'Hi', language: 'en' },
      email_type_option: true,
    });
    return { id: list.id, name: list.name };
  },
  addMember: async (r) => {
    const member = await mailchimp.lists.addListMember(r.createList.id, {
      email_address: emails[0],
      status: 'subscribed',
      merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace' },
    });
    return { id: member.id, email_address: member.email_address, status: member.status, expected_id: hash(emails[0]) };
  },
  addMoreMembers: async (r) => {
    for (const email of emails.slice(1)) {
      await mailchimp.lists.addListMember(r.createList.id, { email_address: email, status: 'subscribed' });
    }
    return emails.length;
  },
  duplicateMember: (r) =>
    expectError(() => mailchimp.lists.addListMember(r.createList.id, { email_address: emails[0], status: 'subscribed' })),
  getMember: async (r) => {
    const member = await mailchimp.lists.getListMember(r.createList.id, hash(emails[0]));
    return { id: member.id, full_name: member.full_name, fname: member.merge_fields.FNAME };
  },
  getMemberByEmail: async (r) => {
    const member = await mailchimp.lists.getListMember(r.createList.id, emails[1]);
    return { id: member.id, email_address: member.email_address };
  },
  listMembersPage: (r) =>
    mailchimp.lists.getListMembersInfo(r.createList.id, {
      count: 2,
      offset: 1,
      fields: ['total_items', 'members.email_address'],
    }),
  updateMember: async (r) => {
    const member = await mailchimp.lists.updateListMember(r.createList.id, hash(emails[0]), {
      status: 'unsubscribed',
      merge_fields: { LNAME: 'King' },
    });
    return { status: member.status, full_name: member.full_name };
  },
  upsertMember: async (r) => {
    const email = `upsert.${run_id}@example.com`;
    const member = await mailchimp.lists.setListMember(r.createList.id, hash(email), {
      email_address: email,
      status_if_new: 'pending',
    });
    return { id: member.id, status: member.status };
  },
  batch: async (r) => {
    const listId = r.createList.id;
    const started = await mailchimp.batches.start({
      operations: [
        {
          method: 'POST',
          path: `/lists/${listId}/members`,
          operation_id: 'add-batch-member',
          body: JSON.stringify({ email_address: `batch.${run_id}@example.com`, status: 'subscribed' }),
        },
        { method: 'GET', path: `/lists/${listId}/members`, operation_id: 'count', params: { fields: 'total_items' } },
        { method: 'DELETE', path: `/lists/${listId}/members/${hash(emails[2])}`, operation_id: 'archive-linus' },
      ],
    });
    const status = await mailchimp.batches.status(started.id);
    return {
      id: started.id,
      status: status.status,
      total_operations: status.total_operations,
      finished_operations: status.finished_operations,
      errored_operations: status.errored_operations,
      has_response_body_url: typeof status.response_body_url === 'string' && status.response_body_url.length > 0,
    };
  },
  membersAfterBatch: async (r) => (await mailchimp.lists.getListMembersInfo(r.createList.id, { fields: ['total_items'] })).total_items,
  deleteMember: async (r) => {
    const deleted = await mailchimp.lists.deleteListMember(r.createList.id, hash(emails[1]));
    const after = await mailchimp.lists.getListMember(r.createList.id, hash(emails[1]));
    return { response: deleted ?? null, status_after: after.status };
  },
  deleteMemberPermanent: async (r) => {
    await mailchimp.lists.deleteListMemberPermanent(r.createList.id, hash(emails[0]));
    return expectError(() => mailchimp.lists.getListMember(r.createList.id, hash(emails[0])));
  },
  deleteList: async (r) => {
    await mailchimp.lists.deleteList(r.createList.id);
    return expectError(() => mailchimp.lists.getList(r.createList.id));
  },
  unknownKey: async () => {
    mailchimp.setConfig({ apiKey: randomBytes(16).toString('hex') + '-' + server, server });
    try {
      return await expectError(() => mailchimp.ping.get());
    } finally {
      mailchimp.setConfig({ apiKey: key, server });
    }
  },
  revokedKey: async () => {
    if (!revokedKey) {
      return null;
    }
    mailchimp.setConfig({ apiKey: revokedKey, server });
    try {
      return await expectError(() => mailchimp.ping.get());
    } finally {
      mailchimp.setConfig({ apiKey: key, server });
    }
  },
});
