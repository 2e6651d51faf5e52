// Who is logged in: the account, its organisation and roles. The token is kept in memory only;
// after a reload the HttpOnly cookie restores the session through GET /api/v1/me.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, setToken, type Schemas } from '@/api/client';

export type Role = Schemas['Role'];
export type Me = Schemas['MeResponse'];

/** Number of `/`-separated codes in a region path such as `/339900/339902/`. */
export function regionDepth(path: string): number {
  return path.split('/').filter((part) => part !== '').length;
}

export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  /** Whether the cookie session has been checked since the page loaded. */
  const checked = ref(false);

  const roles = computed<Role[]>(() => me.value?.roles ?? []);
  const loggedIn = computed(() => me.value !== null);
  const isAdmin = computed(() => roles.value.includes('admin'));
  /** The audit trail is for administrators of a city-level organisation (the API says the same). */
  const isCityAdmin = computed(() => isAdmin.value && me.value !== null && regionDepth(me.value.org.region_path) <= 1);

  function hasAnyRole(wanted: readonly Role[] | undefined): boolean {
    if (!wanted || wanted.length === 0) return true;
    return wanted.some((r) => roles.value.includes(r));
  }

  async function login(username: string, password: string): Promise<void> {
    const answer = await api.post('/api/v1/auth/login', { body: { username, password } });
    setToken(answer.token);
    me.value = answer.user;
    checked.value = true;
  }

  /** Asks the server who we are (the cookie may still hold a session). */
  async function restore(): Promise<void> {
    try {
      me.value = await api.get('/api/v1/me');
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      me.value = null;
    } finally {
      checked.value = true;
    }
  }

  async function logout(): Promise<void> {
    try {
      await api.post('/api/v1/auth/logout');
    } catch (err) {
      // Already gone on the server is fine: the goal is to be logged out.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    } finally {
      forget();
    }
  }

  /** Drops the local session without asking the server (after a 401). */
  function forget(): void {
    setToken(null);
    me.value = null;
  }

  return { me, checked, roles, loggedIn, isAdmin, isCityAdmin, hasAnyRole, login, restore, logout, forget };
});
