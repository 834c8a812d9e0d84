/**
 * Accounts over plain HTTP, as a browser would drive them: better-auth's endpoints under
 * /api/auth, the session carried in its cookie. Each signed-in person is a `Person`.
 */
export interface Person {
  email: string;
  password: string;
  /** The Cookie header that carries this person's session. */
  cookie: string;
  /** The Set-Cookie lines the server answered with when the session was made. */
  setCookie?: string[];
}

/** A page of this site sends its own origin with every POST; tests do the same. */
export function sameSite(appUrl: string): Record<string, string> {
  return { origin: appUrl, "content-type": "application/json" };
}

function sessionCookie(response: Response): string {
  const cookies = response.headers.getSetCookie().map((line) => line.split(";")[0]!);
  const session = cookies.find((cookie) => /session_token=/.test(cookie));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  return cookies.join("; ");
}

export async function authPost(appUrl: string, pathname: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${appUrl}/api/auth${pathname}`, {
    method: "POST",
    headers: { ...sameSite(appUrl), ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
}

export async function signUp(appUrl: string, who: { name: string; email: string; password?: string }): Promise<Person> {
  const password = who.password ?? "correct horse battery";
  const response = await authPost(appUrl, "/sign-up/email", { name: who.name, email: who.email, password });
  if (!response.ok) throw new Error(`sign-up of ${who.email} answered ${response.status}: ${await response.text()}`);
  return { email: who.email, password, cookie: sessionCookie(response), setCookie: response.headers.getSetCookie() };
}

export async function signIn(appUrl: string, email: string, password: string): Promise<Person> {
  const response = await authPost(appUrl, "/sign-in/email", { email, password });
  if (!response.ok) throw new Error(`sign-in of ${email} answered ${response.status}: ${await response.text()}`);
  return { email, password, cookie: sessionCookie(response) };
}

/** The owner's (or an admin's) one-time invitation for `email`; returns its id, the last part of its link. */
export async function invite(appUrl: string, by: Person, email: string, role: "member" | "admin" = "member"): Promise<string> {
  const response = await authPost(appUrl, "/organization/invite-member", { email, role }, by.cookie);
  if (!response.ok) throw new Error(`invite of ${email} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export async function acceptInvitation(appUrl: string, who: Person, invitationId: string): Promise<Response> {
  return authPost(appUrl, "/organization/accept-invitation", { invitationId }, who.cookie);
}

/** GET with the person's session. */
export function getAs(appUrl: string, who: Person | undefined, pathname: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${appUrl}${pathname}`, { headers: { ...(who ? { cookie: who.cookie } : {}), ...headers }, redirect: "manual", signal: AbortSignal.timeout(15_000) });
}

/** A state-changing request with the person's session, from a page of this site. */
export function sendAs(appUrl: string, who: Person | undefined, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${appUrl}${pathname}`, {
    method,
    headers: { ...sameSite(appUrl), ...(who ? { cookie: who.cookie } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
}
