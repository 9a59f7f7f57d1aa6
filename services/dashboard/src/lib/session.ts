const TOKEN_KEY = 'bulkops.token';

/**
 * The API token lives in sessionStorage only: it is gone when the tab closes, and it never goes
 * into a URL, a cookie or localStorage.
 */
export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  save(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};
