import "server-only";
import { ConfigError, env } from "./env";

/** A bad configuration stops the server at once with a readable message, instead of failing on the first click. */
export function validateConfigurationAtStartup(): void {
  try {
    const config = env();
    console.log(`[config] default provider: ${config.IMAGE_PROVIDER}; data folder: ${config.DATA_DIR}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
