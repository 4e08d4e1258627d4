// An MCP server as a child process spoken to over stdio, one JSON message
// per line (the MCP stdio transport), as the text transport
// `{ send(text), onMessage(handler) }` the generated client takes, and that
// transport adapted to the official SDK's `Transport` interface.
//
// The child gets only the environment given (nothing is inherited), so that
// what a server reports of its environment is the same on every machine.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/**
 * Spawns `command` with `args` and returns
 * `{ child, transport, stderr(), close() }`: `transport` writes each message
 * text as a line on the child's stdin and passes each line of its stdout to
 * the handlers; `close()` ends stdin and resolves with `{ code, signal }`
 * once the child has exited (killing it after `graceMs`).
 */
export function spawnStdio(command, args, { env = {}, cwd, graceMs = 2000 } = {}) {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env, cwd });
  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal }));
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const handlers = [];
  lines.on("line", (line) => {
    for (const handler of handlers) {
      handler(line);
    }
  });
  // A write after the child is gone must not crash the client.
  child.stdin.on("error", () => {});
  const transport = {
    send(text) {
      if (text.includes("\n")) {
        throw new Error("a message on stdio must not contain a newline");
      }
      child.stdin.write(`${text}\n`);
    },
    onMessage(handler) {
      handlers.push(handler);
    },
  };
  let closing;
  return {
    child,
    transport,
    exited,
    stderr: () => stderr,
    close() {
      closing ??= (async () => {
        child.stdin.end();
        const timer = setTimeout(() => child.kill("SIGTERM"), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      })();
      return closing;
    },
  };
}

/**
 * The text transport `transport` as the official SDK's `Transport`
 * (`start`, `send(message)`, `close`, `onmessage`, `onclose`, `onerror`).
 * A message sent is the text `JSON.stringify(message)`, as the SDK's own
 * stdio transport writes it; a line received is given to `onmessage` as
 * `parse(line)` (`JSON.parse` unless told: pass the SDK's
 * `deserializeMessage` to validate as its stdio transport does).
 * `close` is called by `Transport.close()` and should stop the peer.
 */
export function sdkTransport(transport, { close = async () => {}, parse = JSON.parse } = {}) {
  let closed = false;
  const sdk = {
    onmessage: undefined,
    onclose: undefined,
    onerror: undefined,
    /** The protocol version the client and server agreed on, once they have. */
    protocolVersion: undefined,
    setProtocolVersion(version) {
      sdk.protocolVersion = version;
    },
    async start() {},
    async send(message) {
      if (closed) {
        throw new Error("Not connected");
      }
      transport.send(JSON.stringify(message));
    },
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await close();
      sdk.onclose?.();
    },
  };
  transport.onMessage((line) => {
    if (closed) {
      return;
    }
    let message;
    try {
      message = parse(line);
    } catch (error) {
      sdk.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    sdk.onmessage?.(message);
  });
  return sdk;
}

/**
 * Splits `argv` (without node and the script) into options before `--` and
 * the server command after it. Options are `--name value` or `--name=value`;
 * a repeated option collects its values in an array.
 */
export function parseCommandLine(argv) {
  const separator = argv.indexOf("--");
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const server = separator === -1 ? [] : argv.slice(separator + 1);
  const options = {};
  for (let i = 0; i < own.length; i += 1) {
    const arg = own[i];
    if (!arg.startsWith("--")) {
      throw new Error(`unexpected argument \`${arg}\` (the server command goes after \`--\`)`);
    }
    const equals = arg.indexOf("=");
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    let value;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else if (i + 1 < own.length && !own[i + 1].startsWith("--")) {
      value = own[(i += 1)];
    } else {
      value = true;
    }
    if (name in options) {
      options[name] = [options[name], value].flat();
    } else {
      options[name] = value;
    }
  }
  return { options, server };
}

/** A promise that rejects with a message naming `what` after `ms`. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
