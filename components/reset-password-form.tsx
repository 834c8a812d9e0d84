"use client";

import { useAccountAction } from "@/hooks/use-account-action";
import { authClient, authProblem } from "@/lib/client/auth-client";
import { ProblemAlert } from "./problem-alert";

/** A new password through a reset link; then to sign-in, every old session ended. */
export function ResetPasswordForm({ token }: { token: string }) {
  const { busy, problem, run } = useAccountAction();

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const newPassword = String(new FormData(event.currentTarget).get("password"));
    void run(async () => {
      const { error } = await authClient().resetPassword({ newPassword, token });
      return error ? authProblem(error.code === "INVALID_TOKEN" ? { message: "This link has expired or was used already: ask for a new one." } : error, "Could not change the password.") : undefined;
    }, "/sign-in?done=password");
  };

  return (
    <form className="auth-form" onSubmit={submit} aria-label="Choose a new password">
      <ProblemAlert message={problem} />
      <div className="field">
        <label htmlFor="reset-password">New password</label>
        <input id="reset-password" name="password" type="password" autoComplete="new-password" required minLength={10} maxLength={128} aria-describedby="reset-password-note" />
        <span id="reset-password-note" className="field-note">
          At least 10 characters. Once it is changed, the account is signed out everywhere and its API tokens stop working.
        </span>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? "Changing the password…" : "Change the password"}
      </button>
    </form>
  );
}
