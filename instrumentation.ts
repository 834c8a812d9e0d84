/** Runs once when the server starts; the Node-only work lives in lib/server/startup.ts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { prepareServerAtStartup } = await import("./lib/server/startup");
    await prepareServerAtStartup();
  }
}
