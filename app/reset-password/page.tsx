import Link from "next/link";
import { redirect } from "next/navigation";
import { ResetPasswordForm } from "@/components/reset-password-form";
import { appContext } from "@/lib/server/app-context";

export const dynamic = "force-dynamic";

/** A password-reset link from a workspace owner, an admin, or the operator. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!appContext().accounts) redirect("/");
  const { token } = await searchParams;
  const usable = typeof token === "string" && /^[A-Za-z0-9_-]{8,128}$/.test(token);
  return (
    <main className="page page--narrow">
      <header className="page-header">
        <div>
          <h1>Choose a new password</h1>
          <p>For the account this link was made for.</p>
        </div>
      </header>
      {usable ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="problem" role="alert">
          This reset link is not complete. Copy the whole link, or ask for a new one. <Link href="/sign-in">Sign in</Link>
        </p>
      )}
    </main>
  );
}
