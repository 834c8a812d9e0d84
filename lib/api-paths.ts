/** The only place the app's HTTP paths are spelled; the browser, the server and the tests use it. */
export const apiPaths = {
  generate: "/api/generate-images",
  providers: "/api/providers",
  providerCheck: (providerId: string) => `/api/providers/${encodeURIComponent(providerId)}/check`,
  /** GET: the copy writers; POST: copy drafted for a brief. */
  copy: "/api/copy",
  logos: "/api/logos",
  /** The workspace's saved brand kits, one per client. */
  brandKits: "/api/brand-kits",
  brandKit: (kitId: string) => `/api/brand-kits/${encodeURIComponent(kitId)}`,
  products: "/api/products",
  jobs: "/api/jobs",
  job: (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}`,
  jobEvents: (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}/events`,
  jobCancel: (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}/cancel`,
  jobImages: (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}/images`,
  jobImage: (jobId: string, index: number) => `/api/jobs/${encodeURIComponent(jobId)}/images/${index}`,
  jobExport: (jobId: string, index: number, type: "png" | "jpg" = "png") => `/api/jobs/${encodeURIComponent(jobId)}/images/${index}/export${type === "png" ? "" : `?type=${type}`}`,
  jobDesign: (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}/design`,
  jobDownload: (jobId: string, type: "jpg" | "png" = "jpg") => `/api/jobs/${encodeURIComponent(jobId)}/download${type === "jpg" ? "" : `?type=${type}`}`,
  /** A stored file (picture, ad, thumbnail, upload) by its id. */
  image: (fileId: string) => `/api/images/${fileId}`,
  preview: (previewId: string) => `/api/previews/${previewId}`,
  /** The caller's personal API tokens in their workspace. */
  tokens: "/api/tokens",
  token: (tokenId: string) => `/api/tokens/${encodeURIComponent(tokenId)}`,
  openApi: "/api/openapi.json",
  /** A password-reset link for a member of the caller's workspace. */
  passwordResets: "/api/password-resets",
} as const;

/** The stored file an `apiPaths.image` URL points at. */
export function fileIdFromImagePath(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}
