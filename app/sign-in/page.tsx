import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { safeNextPath } from "@/lib/safe-next-path";
import { appContext } from "@/lib/server/app-context";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { accounts } = appContext();
  if (!accounts) redirect("/");
  if (!(await accounts.members.hasAnyUser())) redirect("/sign-up");
  const { next, problem, done } = await searchParams;
  return (
    <main className="page page--narrow">
      <header className="page-header">
        <div>
          <h1>Sign in</h1>
          <p>Ad Creative Generator: your workspace&apos;s campaigns, brand kits and creatives.</p>
        </div>
      </header>
      {problem === "no-workspace" && (
        <p className="problem" role="alert">
          Your account is in no workspace yet. Open the invitation link a workspace owner gave you.
        </p>
      )}
      {done === "password" && (
        <p className="notice" role="status">
          Password changed: the account is signed out everywhere and its API tokens no longer work. Sign in with the new one.
        </p>
      )}
      <SignInForm next={safeNextPath(next)} />
    </main>
  );
}
