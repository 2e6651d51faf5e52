// Names for codes and ids that lists carry bare (an organisation's region, an audit entry's
// actor): fetched once per code, shared by every screen, and reactive so tables fill in.
import { reactive } from 'vue';
import { api } from './client';

function nameCache(fetchName: (key: string) => Promise<string>) {
  const names = reactive<Record<string, string>>({});
  const pending = new Set<string>();

  function ensure(keys: Iterable<string | null | undefined>): void {
    for (const key of keys) {
      if (!key || key in names || pending.has(key)) continue;
      pending.add(key);
      fetchName(key)
        .then((name) => {
          names[key] = name;
        })
        .catch(() => {
          // Outside the caller's scope or gone: the bare code is shown instead.
        })
        .finally(() => pending.delete(key));
    }
  }

  function remember(key: string, name: string): void {
    names[key] = name;
  }

  return { names, ensure, remember };
}

export const regionNames = nameCache(async (code) => (await api.get('/api/v1/regions/{code}', { params: { code } })).name);
export const userNames = nameCache(async (id) => (await api.get('/api/v1/users/{id}', { params: { id } })).display_name);
export const orgNames = nameCache(async (id) => (await api.get('/api/v1/organisations/{id}', { params: { id } })).name);
