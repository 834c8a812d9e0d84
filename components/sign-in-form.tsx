"use client";

import Link from "next/link";
import { useAccountAction } from "@/hooks/use-account-action";
import { authClient, authProblem } from "@/lib/client/auth-client";
import { ProblemAlert } from "./problem-alert";

/** Email and password; back to where the person was going once signed in. */
export function SignInForm({ next }: { next: string }) {
  const { busy, problem, run } = useAccountAction();

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const { error } = await authClient().signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
      return error ? authProblem(error, "Could not sign in.") : undefined;
    }, next);
  };

  return (
    <form className="auth-form" onSubmit={submit} aria-label="Sign in">
      <ProblemAlert message={problem} />
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input id="sign-in-email" name="email" type="email" autoComplete="email" required />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <p className="field-note">
        No account? Accounts here are by invitation: open the link a workspace owner gave you. <Link href="/sign-up">Sign up</Link>
      </p>
    </form>
  );
}
