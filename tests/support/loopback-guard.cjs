// Preloaded into the app under test (`node --require`): every TCP connection and DNS look-up that
// is not for this machine's loopback is refused before a packet leaves, and written to the file
// named by LOOPBACK_GUARD_LOG, so a test can assert that nothing tried to leave 127.0.0.1.
"use strict";
const dns = require("node:dns");
const fs = require("node:fs");
const net = require("node:net");

const logFile = process.env.LOOPBACK_GUARD_LOG;

function isLoopback(host) {
  if (host === undefined || host === null || host === "") return true; // net's default is localhost
  const name = String(host).replace(/^\[|\]$/g, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (net.isIPv4(name)) return name.startsWith("127.");
  if (net.isIPv6(name)) return name === "::1" || /^::ffff:127\./.test(name);
  return false;
}

function refuse(what) {
  const line = `${new Date().toISOString()} ${what}\n`;
  if (logFile) {
    try {
      fs.appendFileSync(logFile, line);
    } catch {
      // The refusal below still stops the connection.
    }
  }
  const error = new Error(`loopback guard: refused ${what}`);
  error.code = "ELOOPBACKONLY";
  return error;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  let host;
  let port;
  if (options && typeof options === "object") {
    if (options.path) return originalConnect.apply(this, args); // a Unix socket stays on the machine
    host = options.host;
    port = options.port;
  } else {
    port = first;
    host = typeof args[1] === "string" ? args[1] : undefined;
  }
  if (!isLoopback(host)) {
    const error = refuse(`connect ${host}:${port}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return originalConnect.apply(this, args);
};

const originalLookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
  const done = typeof options === "function" ? options : callback;
  if (!isLoopback(hostname)) {
    const error = refuse(`dns ${hostname}`);
    process.nextTick(() => done(error));
    return {};
  }
  return originalLookup.call(this, hostname, options, callback);
};

const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = function guardedPromiseLookup(hostname, options) {
  if (!isLoopback(hostname)) return Promise.reject(refuse(`dns ${hostname}`));
  return originalPromiseLookup.call(this, hostname, options);
};
