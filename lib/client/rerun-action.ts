/** What a rerun of a job does: its missing images, one image again (same or new seed), or one more. */
export type RerunAction = "resume" | "retry" | "regenerate" | "more";
