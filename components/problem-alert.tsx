/** What went wrong with a form's last attempt, read out as soon as it appears; nothing when all is well. */
export function ProblemAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="problem" role="alert">
      {message}
    </p>
  );
}
