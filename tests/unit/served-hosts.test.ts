import { describe, expect, it } from "vitest";
import { isServedHost } from "@/lib/server/http/served-hosts";

describe("isServedHost: the names a server with accounts off answers to", () => {
  it.each(["localhost:3000", "LOCALHOST", "localhost.:3000", "app.localhost:3000", "127.0.0.1:3000", "127.1.2.3", "[::1]:3000", "[::ffff:127.0.0.1]", "192.168.1.20:3000", "10.0.0.5"])(
    "serves %s (loopback, or an address no page can rebind)",
    (host) => expect(isServedHost(host, undefined)).toBe(true),
  );

  it.each(["rebind.attacker.example:3000", "localhost.attacker.example", "127.0.0.1.nip.io:3000", "evil.example", "a b", "[::1"])("refuses %s", (host) => {
    expect(isServedHost(host, undefined)).toBe(false);
  });

  it("serves the name in APP_URL, and only that one", () => {
    expect(isServedHost("ads.office.lan:8080", "http://ads.office.lan:8080")).toBe(true);
    expect(isServedHost("ADS.office.lan", "http://ads.office.lan:8080")).toBe(true);
    expect(isServedHost("other.office.lan", "http://ads.office.lan:8080")).toBe(false);
  });

  it("lets a request without Host through (no browser sends one)", () => {
    expect(isServedHost(null, undefined)).toBe(true);
  });
});
