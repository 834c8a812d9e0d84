/**
 * An S3-compatible server for the tests: s3rver (npm; no S3 server is packaged for Debian here),
 * in this process, on a private port on 127.0.0.1, keeping objects in a temp folder.
 */
import S3rver from "s3rver";
import { makeTempDir, removeDir } from "../app-server";

export interface S3Server {
  /** The S3_* settings that point the app at it. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startS3(bucket = "ads"): Promise<S3Server> {
  const dir = makeTempDir("acg-s3-");
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  return {
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      // s3rver's fixed credentials.
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
    },
    async stop() {
      await server.close();
      removeDir(dir);
    },
  };
}
