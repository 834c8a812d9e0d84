"use client";

import { useAccountAction } from "@/hooks/use-account-action";
import { authClient, authProblem } from "@/lib/client/auth-client";
import { ProblemAlert } from "./problem-alert";

/**
 * A new account: the owner's (the server's first), or an invited member's, who then joins the
 * workspace that invited them in the same step.
 */
export function SignUpForm({ invitation }: { invitation?: { id: string; email: string } }) {
  const { busy, problem, run } = useAccountAction();

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const client = authClient();
      const { error } = await client.signUp.email({ name: String(form.get("name")), email: invitation?.email ?? String(form.get("email")), password: String(form.get("password")) });
      if (error) return authProblem(error, "Could not create the account.");
      if (!invitation) return undefined;
      const accepted = await client.organization.acceptInvitation({ invitationId: invitation.id });
      return accepted.error ? authProblem(accepted.error, "The account was made, but the invitation could not be accepted.") : undefined;
    }, "/");
  };

  return (
    <form className="auth-form" onSubmit={submit} aria-label="Create account">
      <ProblemAlert message={problem} />
      <div className="field">
        <label htmlFor="sign-up-name">Your name</label>
        <input id="sign-up-name" name="name" autoComplete="name" required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="sign-up-email">Email</label>
        {invitation ? (
          <input id="sign-up-email" name="email" type="email" value={invitation.email} readOnly aria-describedby="sign-up-email-note" />
        ) : (
          <input id="sign-up-email" name="email" type="email" autoComplete="email" required />
        )}
        {invitation && (
          <span id="sign-up-email-note" className="field-note">
            The address the invitation was made for.
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="sign-up-password">Password</label>
        <input id="sign-up-password" name="password" type="password" autoComplete="new-password" required minLength={10} maxLength={128} aria-describedby="sign-up-password-note" />
        <span id="sign-up-password-note" className="field-note">
          At least 10 characters.
        </span>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? "Creating the account…" : invitation ? "Create account and join" : "Create account"}
      </button>
    </form>
  );
}
