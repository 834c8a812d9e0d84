import { z } from "zod";

/** A password-reset link an owner or admin asks for, for a member of their workspace. */
export const newPasswordResetSchema = z.object({ memberId: z.string({ error: "memberId must be text" }).min(1).max(64) }).strict();

/** What the server answers: the link's path on this site (the browser adds its origin), for whom. */
export const passwordResetLinkSchema = z.object({
  path: z.string().describe("/reset-password?token=…: works once, for a day"),
  email: z.string(),
});
