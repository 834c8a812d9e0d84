import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { appContext } from "@/lib/server/app-context";

export const dynamic = "force-dynamic";

/** Only paths on this site: a sign-in link cannot send anyone elsewhere afterwards. */
function safeNext(raw: unknown): string {
  return typeof raw === "string" && raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/";
}

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
          Password changed. Sign in with the new one.
        </p>
      )}
      <SignInForm next={safeNext(next)} />
    </main>
  );
}
