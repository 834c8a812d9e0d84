/** What a rerun of a job does: its missing images, one image again (same or new seed), one more, or the set in another format. */
export type RerunAction = "resume" | "retry" | "regenerate" | "more" | "format";
