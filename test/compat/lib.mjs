// Shared by the compatibility scripts: configuration from the environment (secrets never in argv)
// and one JSON object on stdout.

export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    fail('config', new Error(`environment variable ${name} is required`));
  }
  return value;
}

export function baseUrl() {
  const url = requiredEnv('KEYWARDEN_COMPAT_BASE_URL');
  return url.endsWith('/') ? url : url + '/';
}

// Runs the steps in order; a step that throws ends the run with {"ok":false,"step":...}.
export async function run(steps) {
  const results = {};
  for (const [name, step] of Object.entries(steps)) {
    try {
      results[name] = await step(results);
    } catch (error) {
      fail(name, error, results);
    }
  }
  print({ ok: true, results });
}

export function fail(step, error, results = {}) {
  print({
    ok: false,
    step,
    error: String(error?.message ?? error),
    status: error?.status ?? error?.response?.status ?? null,
    body: error?.response?.body ?? error?.response?.data ?? null,
    results,
  });
  process.exit(1);
}

function print(value) {
  process.stdout.write(JSON.stringify(value) + '\n');
}
