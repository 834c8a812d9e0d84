import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["sharp", "better-sqlite3", "@napi-rs/canvas"],
};

export default nextConfig;
