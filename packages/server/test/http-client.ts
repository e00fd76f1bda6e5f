/** Anything with Hono's `request()`. */
export interface Requester {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * A tiny browser for `app.request()`: keeps cookies, remembers the CSRF token of the last page,
 * posts urlencoded forms. No mocks: it talks to the real app and store.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  csrf = "";
  constructor(
    private readonly app: Requester,
    private readonly base = "http://localhost",
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  private async send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    const headers: Record<string, string> = { ...this.extraHeaders, ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await this.app.request(new URL(path, this.base).toString(), { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(c) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; html: string }> {
    const res = await this.send(path, { method: "GET", headers });
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { res, html };
  }

  /** POST a form; `_csrf` is added from the last page unless given (pass `_csrf: null` to leave it out). */
  async post(path: string, form: Record<string, string | null>, headers: Record<string, string> = {}): Promise<{ res: Response; html: string }> {
    const body = new URLSearchParams();
    if (!("_csrf" in form)) body.set("_csrf", this.csrf);
    for (const [k, v] of Object.entries(form)) if (v !== null) body.set(k, v);
    const res = await this.send(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: body.toString(),
    });
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { res, html };
  }

  async signIn(email: string, password: string, headers: Record<string, string> = {}) {
    await this.get("/login", headers);
    return this.post("/login", { email, password }, headers);
  }
}
