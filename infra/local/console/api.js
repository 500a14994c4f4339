import { state } from './page.js';

// As `token` (default: the selected user's). Passed, never swapped into the state: refreshes run
// concurrently, and one reading another's swapped token showed an approver an empty list.
export const api = async (method, path, body, token = state.token) => {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new Error(json.error ? `${response.status} ${json.error.code}: ${json.error.message}` : `HTTP ${response.status}`);
  return json;
};

// The local services' own routes (no token: local mode only); a failed read shows as empty.
export const fetchLocal = (path) =>
  fetch(path)
    .then((r) => r.json())
    .catch(() => ({}));
