//! `typescript/client.ts`: a typed JSON-RPC client with no dependencies,
//! rendered from the registry's method sets, and the `typescript/package.json`
//! that makes the folder's `.ts` files ES modules.
//!
//! The client's code is the same for every protocol; only its imports differ.
//! Each of the four roles (requests and notifications, each way) is bound to
//! the method map of the registry's set of that direction and kind, or to an
//! empty map when the protocol has no such set, so the file compiles for any
//! protocol and names no method itself.
//!
//! `package.json` is needed as soon as the folder holds runtime code: under
//! `module: nodenext` a `.ts` file is an ES module only if the nearest
//! `package.json` says `"type": "module"`, and `verbatimModuleSyntax` refuses
//! `export class` in a CommonJS file.

use std::collections::BTreeMap;

use protocol_macros::{Direction, Kind, Registry};

use crate::header::{typescript_header, GENERATED_NOTICE};
use crate::json_format::to_canonical_json;
use crate::RenderError;

/// The client, by path relative to the output directory.
pub const CLIENT_FILE: &str = "typescript/client.ts";
/// The file that makes `typescript/` a folder of ES modules.
pub const PACKAGE_FILE: &str = "typescript/package.json";
const INDEX_FILE: &str = "typescript/index.ts";

/// The names `client.ts` exports: values, then types.
const VALUE_EXPORTS: [&str; 2] = ["Client", "JsonRpcError"];
const TYPE_EXPORTS: [&str; 1] = ["Transport"];

/// The four roles a method set can play, by the local alias `client.ts`
/// gives its map.
const ROLES: [(&str, Direction, Kind, &str); 4] = [
    (
        "ClientRequests",
        Direction::ClientToServer,
        Kind::Request,
        "requests the client sends",
    ),
    (
        "ClientNotifications",
        Direction::ClientToServer,
        Kind::Notification,
        "notifications the client sends",
    ),
    (
        "ServerRequests",
        Direction::ServerToClient,
        Kind::Request,
        "requests the server sends",
    ),
    (
        "ServerNotifications",
        Direction::ServerToClient,
        Kind::Notification,
        "notifications the server sends",
    ),
];

/// Adds `typescript/client.ts` and `typescript/package.json` to the rendered
/// `files` (paths relative to the output directory) and exports the client
/// from `typescript/index.ts`.
pub fn add_client(
    registry: &Registry,
    files: &mut BTreeMap<String, String>,
) -> Result<(), RenderError> {
    for path in [CLIENT_FILE, PACKAGE_FILE] {
        if files.contains_key(path) {
            return Err(RenderError::NameConflict {
                name: path.to_owned(),
                first: "a rendered type".to_owned(),
                second: "the TypeScript client".to_owned(),
            });
        }
    }
    let index = files.get(INDEX_FILE).cloned().unwrap_or_default();
    for name in VALUE_EXPORTS.iter().chain(&TYPE_EXPORTS) {
        if let Some(path) = declaring_file(files, name) {
            return Err(RenderError::NameConflict {
                name: format!("the TypeScript type `{name}`"),
                first: path,
                second: CLIENT_FILE.to_owned(),
            });
        }
    }
    let client = render_client(registry, files);
    files.insert(CLIENT_FILE.to_owned(), client);
    files.insert(PACKAGE_FILE.to_owned(), render_package_json());
    files.insert(INDEX_FILE.to_owned(), with_client_exports(&index));
    Ok(())
}

/// `client.ts`: the header, what the file is, the imports of this
/// protocol's maps and envelope types, then the protocol-independent client.
pub fn render_client(registry: &Registry, files: &BTreeMap<String, String>) -> String {
    let mut imports: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut import = |name: &str, alias: &str| {
        let specifier = declaring_file(files, name)
            .and_then(|path| path.strip_prefix("typescript/").map(import_specifier))
            .unwrap_or_else(|| format!("./{name}.js"));
        let item = if alias == name {
            name.to_owned()
        } else {
            format!("{name} as {alias}")
        };
        imports.entry(specifier).or_default().push(item);
    };
    for name in ENVELOPE_IMPORTS {
        import(name, name);
    }
    let mut roles = String::from("// The method maps the client is typed by, by role:\n");
    let mut empty_roles = String::new();
    for (alias, direction, kind, what) in ROLES {
        match registry.set(direction, kind) {
            Some(set) => {
                let map = map_name(set.name);
                import(&map, alias);
                roles.push_str(&format!("// - {alias}: `{map}`, the {what};\n"));
            }
            None => {
                roles.push_str(&format!(
                    "// - {alias}: none in this protocol (an empty map), the {what};\n"
                ));
                empty_roles.push_str(&format!("type {alias} = Record<never, never>;\n"));
            }
        }
    }
    if let Some(stripped) = roles.strip_suffix(";\n") {
        roles = format!("{stripped}.\n");
    }

    let mut out = typescript_header();
    out.push('\n');
    out.push_str(MODULE_DOC);
    out.push('\n');
    for (specifier, mut names) in imports {
        names.sort();
        out.push_str(&format!(
            "import type {{ {} }} from {};\n",
            names.join(", "),
            serde_json::Value::String(specifier)
        ));
    }
    out.push('\n');
    out.push_str(&roles);
    out.push_str(&empty_roles);
    out.push_str(CLIENT_BODY);
    out
}

/// The envelope types the client refers to, by their TypeScript names.
const ENVELOPE_IMPORTS: [&str; 2] = ["JSONRPCErrorError", "RequestId"];

/// The method map of a set, as `typescript.rs` names it.
fn map_name(set_name: &str) -> String {
    format!("{set_name}Map")
}

/// The rendered `typescript/` file whose top-level declaration exports
/// `name`, if any.
fn declaring_file(files: &BTreeMap<String, String>, name: &str) -> Option<String> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("typescript/") && path.ends_with(".ts"))
        .find(|(_, contents)| {
            contents.lines().any(|line| {
                ["export type ", "export interface ", "export class "]
                    .iter()
                    .filter_map(|prefix| line.strip_prefix(prefix))
                    .any(|rest| {
                        rest.strip_prefix(name).is_some_and(|after| {
                            !after.starts_with(|c: char| {
                                c.is_ascii_alphanumeric() || c == '_' || c == '$'
                            })
                        })
                    })
            })
        })
        .map(|(path, _)| path.clone())
}

/// `./X.js` for `X.ts`, relative to the top of `typescript/`.
fn import_specifier(path: &str) -> String {
    format!("./{}.js", path.strip_suffix(".ts").unwrap_or(path))
}

/// `package.json`: the folder's `.ts` files are ES modules.
pub fn render_package_json() -> String {
    to_canonical_json(&serde_json::json!({
        "$comment": GENERATED_NOTICE,
        "type": "module",
        "sideEffects": false,
    }))
}

/// `index.ts` with the client's exports after the types.
fn with_client_exports(index: &str) -> String {
    let mut out = if index.is_empty() {
        format!("{}\n", typescript_header())
    } else {
        index.to_owned()
    };
    let client = import_specifier("client.ts");
    out.push_str(&format!(
        "export {{ {} }} from \"{client}\";\n",
        VALUE_EXPORTS.join(", ")
    ));
    out.push_str(&format!(
        "export type {{ {} }} from \"{client}\";\n",
        TYPE_EXPORTS.join(", ")
    ));
    out
}

/// What the file is, before its imports.
const MODULE_DOC: &str = r#"/**
 * A typed JSON-RPC client with no dependencies: it sends requests and pairs
 * their responses by id, sends notifications, answers the server's requests
 * through the handlers given to {@link Client.onRequest} and passes the
 * server's notifications to those given to {@link Client.onNotification}.
 *
 * Messages are JSON-RPC 2.0 objects without the `"jsonrpc"` member:
 * `{"method", "id", "params"}` for a request, `{"method", "params"}` for a
 * notification, `{"id", "result"}` or `{"id", "error"}` for a response.
 * `params` is left out when a method has none.
 *
 * @module
 */
"#;

/// Everything after the imports and the role aliases: the same for every
/// protocol.
const CLIENT_BODY: &str = r#"
/**
 * Carries messages between the client and the server, one complete JSON
 * text per message in each direction. Framing (newline-delimited stdio,
 * WebSocket frames, …), connecting and reconnecting are the transport's
 * business.
 *
 * @example Over a child process's stdio in Node.js, one message per line:
 * ```ts
 * const transport: Transport = {
 *   send: (message) => void child.stdin.write(`${message}\n`),
 *   onMessage: (handler) => void readline.createInterface({ input: child.stdout }).on("line", handler),
 * };
 * ```
 */
export interface Transport {
  /**
   * Sends one message. If it throws, the request being sent is rejected
   * with that error (`notify` rethrows it; a lost reply is reported to the
   * `onError` handlers).
   */
  send(message: string): void;
  /**
   * Registers the function to call with each message received. The client
   * calls this once, from its constructor.
   */
  onMessage(handler: (message: string) => void): void;
}

// The JSON-RPC error codes the client answers with.
const METHOD_NOT_FOUND = -32601;
const INTERNAL_ERROR = -32603;

/**
 * A JSON-RPC error object `{ code, message, data? }` as an `Error`. A
 * request is rejected with one when the server answers with an error; a
 * request handler may throw one to answer with that error instead of
 * -32603 (internal error).
 */
export class JsonRpcError extends Error {
  /** The error object, as it is on the wire. */
  readonly error: JSONRPCErrorError;

  constructor(error: JSONRPCErrorError) {
    super(error.message);
    this.name = "JsonRpcError";
    this.error = error;
  }

  /** The error code, e.g. -32601 for a method the peer does not have. */
  get code(): number {
    return this.error.code;
  }

  /** What else the peer said about the error, if anything. */
  get data(): JSONRPCErrorError["data"] {
    return this.error.data;
  }
}

/**
 * The params of a method map entry as a handler receives them: `P` for
 * `{ params: P }`; `P | undefined` for a method without params
 * (`{ params?: null }`).
 */
type ParamsOf<Entry> = Entry extends { params: infer P }
  ? P
  : Entry extends { params?: infer P }
    ? P | undefined
    : never;

/**
 * The arguments after the method name: `[params]` for a method with params,
 * `[params?]` for one without, so the caller may leave them out.
 */
type ParamsArgs<Entry> = Entry extends { params: infer P }
  ? [params: P]
  : Entry extends { params?: infer P }
    ? [params?: P]
    : [];

/** The response type of a request map entry. */
type ResponseOf<Entry> = Entry extends { response: infer R } ? R : never;

/** The method names of a map. */
type MethodOf<Methods> = keyof Methods & string;

type AnyRequestHandler = (params: unknown, id: RequestId) => unknown;
type AnyNotificationHandler = (params: unknown) => unknown;
type ErrorHandler = (error: Error, message: string) => void;

/** A request sent and not answered yet. */
interface Pending {
  readonly method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * A JSON-RPC client over a {@link Transport}.
 *
 * Requests get integer ids counting from 0. Handlers may return a value or
 * a promise. Input the client cannot use (not JSON, not a message, a
 * response to no pending request, a throwing notification handler) is
 * dropped and reported to the {@link Client.onError} handlers; it never
 * throws into the transport.
 */
export class Client {
  private readonly transport: Transport;
  private readonly pending = new Map<number, Pending>();
  private readonly requestHandlers = new Map<string, AnyRequestHandler>();
  private readonly notificationHandlers = new Map<string, Set<{ handler: AnyNotificationHandler }>>();
  private readonly errorHandlers = new Set<{ handler: ErrorHandler }>();
  private nextId = 0;
  private closedWith: Error | undefined;

  constructor(transport: Transport) {
    this.transport = transport;
    transport.onMessage((message) => this.receive(message));
  }

  /**
   * Sends a request and resolves with the server's result, or rejects with
   * a {@link JsonRpcError} carrying the server's error object. Leave
   * `params` out for a method without params: none are sent.
   */
  request<M extends MethodOf<ClientRequests>>(
    method: M,
    ...args: ParamsArgs<ClientRequests[M]>
  ): Promise<ResponseOf<ClientRequests[M]>> {
    const params: unknown = args[0];
    if (this.closedWith !== undefined) {
      return Promise.reject(this.closedWith);
    }
    const id = this.nextId++;
    return new Promise<ResponseOf<ClientRequests[M]>>((resolve, reject) => {
      this.pending.set(id, {
        method,
        resolve: (result) => resolve(result as ResponseOf<ClientRequests[M]>),
        reject,
      });
      try {
        this.transport.send(JSON.stringify(params === undefined ? { method, id } : { method, id, params }));
      } catch (error) {
        this.pending.delete(id);
        reject(asError(error));
      }
    });
  }

  /**
   * Sends a notification (no id, no answer). Leave `params` out for a
   * method without params. Throws if the client is closed or the transport
   * throws.
   */
  notify<M extends MethodOf<ClientNotifications>>(
    method: M,
    ...args: ParamsArgs<ClientNotifications[M]>
  ): void {
    const params: unknown = args[0];
    if (this.closedWith !== undefined) {
      throw this.closedWith;
    }
    this.transport.send(JSON.stringify(params === undefined ? { method } : { method, params }));
  }

  /**
   * Answers the server's requests for `method` with what `handler` returns
   * (or resolves to). A handler that throws answers -32603 (internal
   * error), or the error object of a {@link JsonRpcError} it throws. A
   * request without a handler is answered -32601 (method not found). One
   * handler per method: a later one replaces an earlier one. Returns a
   * function that removes the handler.
   */
  onRequest<M extends MethodOf<ServerRequests>>(
    method: M,
    handler: (
      params: ParamsOf<ServerRequests[M]>,
      id: RequestId,
    ) => ResponseOf<ServerRequests[M]> | Promise<ResponseOf<ServerRequests[M]>>,
  ): () => void {
    const entry = handler as unknown as AnyRequestHandler;
    this.requestHandlers.set(method, entry);
    return () => {
      if (this.requestHandlers.get(method) === entry) {
        this.requestHandlers.delete(method);
      }
    };
  }

  /**
   * Calls `handler` with the params of each notification `method` from the
   * server, after the handlers registered before it. Notifications nobody
   * listens to are dropped. Returns a function that removes the handler.
   */
  onNotification<M extends MethodOf<ServerNotifications>>(
    method: M,
    handler: (params: ParamsOf<ServerNotifications[M]>) => void | Promise<void>,
  ): () => void {
    const entry = { handler: handler as unknown as AnyNotificationHandler };
    let handlers = this.notificationHandlers.get(method);
    if (handlers === undefined) {
      handlers = new Set();
      this.notificationHandlers.set(method, handlers);
    }
    handlers.add(entry);
    return () => {
      handlers.delete(entry);
    };
  }

  /**
   * Calls `handler` with each problem the client drops instead of throwing:
   * input that is not a usable message, a response to no pending request,
   * an error thrown by a handler, a reply the transport failed to send.
   * `message` is the text received, if the problem came with one. Returns a
   * function that removes the handler.
   */
  onError(handler: (error: Error, message: string) => void): () => void {
    const entry = { handler };
    this.errorHandlers.add(entry);
    return () => {
      this.errorHandlers.delete(entry);
    };
  }

  /**
   * Stops the client: pending requests are rejected with `reason` (an
   * `Error` for a string or nothing), later calls of `request` reject and
   * of `notify` throw, and incoming messages are ignored. Closing the
   * transport is up to its owner.
   */
  close(reason?: Error | string): void {
    if (this.closedWith !== undefined) {
      return;
    }
    const error =
      reason instanceof Error
        ? reason
        : new Error(reason === undefined ? "the client is closed" : `the client is closed: ${reason}`);
    this.closedWith = error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) {
      request.reject(error);
    }
  }

  private receive(text: string): void {
    if (this.closedWith !== undefined) {
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.report(`not JSON: ${asError(error).message}`, text);
      return;
    }
    if (!isObject(message)) {
      this.report("not a JSON-RPC message: not an object", text);
      return;
    }
    const method = message["method"];
    const id = message["id"];
    if (method !== undefined) {
      if (typeof method !== "string") {
        this.report("not a JSON-RPC message: `method` is not a string", text);
      } else if (id === undefined) {
        this.dispatchNotification(method, message["params"], text);
      } else if (isRequestId(id)) {
        this.dispatchRequest(method, id, message["params"], text);
      } else {
        this.report(`request \`${method}\` has an id that is neither a string nor an integer`, text);
      }
      return;
    }
    this.settle(message, id, text);
  }

  /** Settles the pending request a response answers. */
  private settle(message: Record<string, unknown>, id: unknown, text: string): void {
    const pending = typeof id === "number" ? this.pending.get(id) : undefined;
    if (pending === undefined || typeof id !== "number") {
      this.report(`response to no pending request (id ${JSON.stringify(id)})`, text);
      return;
    }
    this.pending.delete(id);
    const hasResult = "result" in message;
    const error = message["error"];
    if (error !== undefined && !hasResult && isErrorObject(error)) {
      pending.reject(new JsonRpcError(error));
    } else if (hasResult && error === undefined) {
      pending.resolve(message["result"]);
    } else {
      const problem = new Error(
        `malformed response to \`${pending.method}\` (id ${id}): expected either \`result\` or an \`error\` object with an integer \`code\` and a string \`message\``,
      );
      pending.reject(problem);
      this.report(problem.message, text);
    }
  }

  private dispatchRequest(method: string, id: RequestId, params: unknown, text: string): void {
    const handler = this.requestHandlers.get(method);
    if (handler === undefined) {
      this.reply({ id, error: { code: METHOD_NOT_FOUND, message: `method not found: ${method}` } });
      return;
    }
    let answer: Promise<unknown>;
    try {
      answer = Promise.resolve(handler(params, id));
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (result) => this.reply({ id, result: result === undefined ? null : result }),
      (thrown: unknown) => {
        const error = asError(thrown);
        if (!(thrown instanceof JsonRpcError)) {
          this.report(`the handler of \`${method}\` threw: ${error.message}`, text, error);
        }
        this.reply({ id, error: errorObject(thrown) });
      },
    );
  }

  private dispatchNotification(method: string, params: unknown, text: string): void {
    const handlers = this.notificationHandlers.get(method);
    if (handlers === undefined) {
      return;
    }
    for (const { handler } of [...handlers]) {
      const fail = (thrown: unknown) =>
        this.report(`a handler of \`${method}\` threw: ${asError(thrown).message}`, text, asError(thrown));
      try {
        Promise.resolve(handler(params)).catch(fail);
      } catch (error) {
        fail(error);
      }
    }
  }

  /** Sends a response to a server request, unless the client is closed. */
  private reply(response: { id: RequestId; result: unknown } | { id: RequestId; error: JSONRPCErrorError }): void {
    if (this.closedWith !== undefined) {
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(response);
    } catch (error) {
      const message = `cannot encode the answer to request ${JSON.stringify(response.id)}: ${asError(error).message}`;
      this.report(message, "");
      text = JSON.stringify({ id: response.id, error: { code: INTERNAL_ERROR, message } });
    }
    try {
      this.transport.send(text);
    } catch (error) {
      this.report(`cannot send the answer to request ${JSON.stringify(response.id)}: ${asError(error).message}`, text);
    }
  }

  private report(problem: string, message: string, cause?: Error): void {
    const error = cause ?? new Error(problem);
    for (const { handler } of [...this.errorHandlers]) {
      try {
        handler(error, message);
      } catch {
        // A failing error handler must not stop the client.
      }
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === "string" || Number.isInteger(value);
}

function isErrorObject(value: unknown): value is JSONRPCErrorError {
  return isObject(value) && Number.isInteger(value["code"]) && typeof value["message"] === "string";
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The error object a thrown value answers with. */
function errorObject(thrown: unknown): JSONRPCErrorError {
  if (thrown instanceof JsonRpcError) {
    return thrown.error;
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: INTERNAL_ERROR, message: message === "" ? "internal error" : message };
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(path, contents)| ((*path).to_owned(), (*contents).to_owned()))
            .collect()
    }

    #[test]
    fn declarations_are_found_by_whole_name() {
        let files = files(&[
            (
                "typescript/RequestIdish.ts",
                "export type RequestIdish = string;\n",
            ),
            (
                "typescript/RequestId.ts",
                "export type RequestId = string | number;\n",
            ),
            (
                "typescript/serde_json/JsonValue.ts",
                "export type JsonValue<T> = T;\n",
            ),
            ("json/Client.json", "export type Client = 1;\n"),
        ]);
        assert_eq!(
            declaring_file(&files, "RequestId").as_deref(),
            Some("typescript/RequestId.ts")
        );
        assert_eq!(
            declaring_file(&files, "JsonValue").as_deref(),
            Some("typescript/serde_json/JsonValue.ts")
        );
        assert_eq!(declaring_file(&files, "Client"), None);
    }

    #[test]
    fn index_gains_the_client_exports() {
        let index = with_client_exports("// header\nexport type { A } from \"./A.js\";\n");
        assert_eq!(
            index,
            "// header\nexport type { A } from \"./A.js\";\n\
             export { Client, JsonRpcError } from \"./client.js\";\n\
             export type { Transport } from \"./client.js\";\n"
        );
    }

    #[test]
    fn package_json_is_owned_and_an_es_module() {
        let package = render_package_json();
        assert!(crate::is_owned(PACKAGE_FILE, &package), "{package}");
        let value: serde_json::Value = serde_json::from_str(&package).unwrap();
        assert_eq!(value["type"], "module");
    }
}
