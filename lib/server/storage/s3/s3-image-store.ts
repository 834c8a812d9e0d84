import "server-only";
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { isImageId, mimeTypeOf, newImageId } from "../image-ids";
import type { ImageExtension, ImageStorage } from "../storage";

export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/** Keys live under one prefix, so the bucket may hold other things and the sweep never sees them. */
const PREFIX = "images/";

/**
 * Stored images as objects in an S3-compatible bucket (distributed mode), through the official
 * client. A PUT is whole or absent, like the file store's rename; reads stream from the bucket.
 */
export class S3ImageStore implements ImageStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // S3-compatible stores (Garage, SeaweedFS) do not all take the SDK's newer default checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 5,
    });
  }

  /**
   * At start-up: the bucket is there (created when it is not, as a fresh SeaweedFS or Garage
   * needs), or start-up stops saying why.
   */
  async ensureBucket(): Promise<void> {
    if (await this.bucketIsThere()) return;
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      console.log(`[s3] created the bucket ${this.bucket}`);
    } catch (error) {
      // Instances and workers starting together on an empty store all find no bucket and all
      // create it: every one but the first is told it exists (409, BucketAlreadyOwnedByYou, or
      // BucketAlreadyExists from stores that do not tell owners apart). It is there: look again
      // to be sure it is ours to use, not a name taken by another account.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status !== 409 || !(await this.bucketIsThere())) throw error;
    }
  }

  /** Whether the bucket exists and the key may use it; refuses with the fix otherwise. */
  private async bucketIsThere(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch (error) {
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 404) return false;
      if (status === 403) throw new Error(`S3_ACCESS_KEY_ID may not use the bucket ${this.bucket} (403): give it read, write, list and delete there, or choose a bucket name no other account has.`);
      throw new Error(`Could not reach the bucket ${this.bucket} (${error instanceof Error ? error.message : String(error)}): check S3_ENDPOINT and S3_REGION.`);
    }
  }

  async save(bytes: Buffer, extension: ImageExtension): Promise<{ id: string }> {
    const id = newImageId(extension);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: PREFIX + id, Body: bytes, ContentType: mimeTypeOf(id), ContentLength: bytes.length }));
    return { id };
  }

  async remove(ids: readonly string[]): Promise<void> {
    const valid = ids.filter(isImageId);
    // DeleteObjects takes at most 1,000 keys; a key that is already gone counts as deleted.
    for (let start = 0; start < valid.length; start += 1000) {
      const batch = valid.slice(start, start + 1000);
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((id) => ({ Key: PREFIX + id })), Quiet: true } })).catch((error: unknown) => {
        console.error(`[s3] could not delete ${batch.length} object(s):`, error instanceof Error ? error.message : error);
      });
    }
  }

  async read(id: string): Promise<Buffer | null> {
    const opened = await this.openReadable(id);
    if (!opened) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async list(): Promise<{ id: string; modifiedAt: number }[]> {
    const entries: { id: string; modifiedAt: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const id = object.Key?.slice(PREFIX.length);
        if (id && isImageId(id)) entries.push({ id, modifiedAt: object.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return entries;
  }

  /** The object's body as it arrives from the bucket, of `range` only when given. */
  async openReadable(id: string, range?: { start: number; end: number }): Promise<{ stream: Readable; size: number; mimeType: string } | null> {
    if (!isImageId(id)) return null;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: PREFIX + id, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
      // Of a range, the whole object's size is after the slash of Content-Range.
      const size = range ? Number(object.ContentRange?.split("/")[1]) : Number(object.ContentLength);
      if (!object.Body || !Number.isFinite(size)) return null;
      return { stream: object.Body as Readable, size, mimeType: mimeTypeOf(id) };
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.$metadata.httpStatusCode === 404)) return null;
      throw error;
    }
  }
}
