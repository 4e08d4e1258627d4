// Transcripts of a client's conversation: every message the client sends and
// every message it receives, one JSON line each, in the order they crossed
// the transport:
//
//   {"from":"client","message":{"jsonrpc":"2.0","id":0,"method":"initialize",…}}
//   {"from":"server","message":{"jsonrpc":"2.0","id":0,"result":{…}}}
//
// `from` is the side that sent the message, seen from the client. `message`
// is the text that crossed the wire, parsed as it is (member order kept); a
// text that is not JSON is kept as `{"from", "text"}` instead.
//
// No dependencies: the wrapped transport is the `{ send(text), onMessage(handler) }`
// of the generated client (`generated/typescript/client.ts`), which
// `stdio.mjs` also adapts to the official SDK's `Transport`.

import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** A transcript file, written line by line as messages pass. */
export class Transcript {
  /** Creates (or empties) the file at `path`, making its directory if needed. */
  constructor(path) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.fd = openSync(path, "w");
    this.count = 0;
  }

  /** Appends the message `text` sent by `from` ("client" or "server"). */
  write(from, text) {
    if (this.fd === undefined) {
      return;
    }
    let entry;
    try {
      entry = { from, message: JSON.parse(text) };
    } catch {
      entry = { from, text };
    }
    // Synchronous, so that lines are in the order the messages passed.
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.count += 1;
  }

  /** Closes the file; later messages are not recorded. */
  close() {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/**
 * Wraps a text transport `{ send(text), onMessage(handler) }` so that each
 * message sent is recorded as `from: "client"` before it is sent, and each
 * message received as `from: "server"` before the handler sees it.
 * `transcript` is a {@link Transcript} or a file path (a new transcript).
 */
export function recordTransport(transport, transcript) {
  const file = typeof transcript === "string" ? new Transcript(transcript) : transcript;
  return {
    transcript: file,
    send(text) {
      file.write("client", text);
      return transport.send(text);
    },
    onMessage(handler) {
      return transport.onMessage((text) => {
        file.write("server", text);
        handler(text);
      });
    },
  };
}
