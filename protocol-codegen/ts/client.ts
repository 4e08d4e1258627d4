/**
 * A typed JSON-RPC client with no dependencies: it sends requests and pairs
 * their responses by id, sends notifications, answers the server's requests
 * through the handlers given to {@link Client.onRequest} and passes the
 * server's notifications to those given to {@link Client.onNotification}.
 *
 * Messages are JSON-RPC 2.0 objects: `{"method", "id", "params"}` for a
 * request, `{"method", "params"}` for a notification, `{"id", "result"}` or
 * `{"id", "error"}` for a response, each with `"jsonrpc": "2.0"` first when
 * the protocol speaks standard JSON-RPC 2.0 (and then required of every
 * message received), without the member when it does not. `params` is
 * left out when a method has none.
 *
 * When the protocol negotiates capabilities, the client records what its
 * negotiation request declares (the client's) and what the response
 * declares (the server's), and sends a method gated on a capability only
 * once that capability is declared: otherwise the request is rejected, or
 * the notification throws, with a {@link CapabilityError}, and nothing is
 * sent.
 *
 * @module
 */

import {
  protocolSettings,
  type ClientNotifications,
  type ClientRequests,
  type JSONRPCErrorError,
  type RequestId,
  type ServerNotifications,
  type ServerRequests,
} from "./client-protocol.js";

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

/** A peer of the protocol. */
type Side = "client" | "server";

/**
 * A capability: the side that declares it and the member names down to it
 * in that side's capabilities object (`["math", "pow"]`). It is declared
 * when the value there exists and is neither `false` nor `null`.
 */
export interface Capability {
  readonly side: Side;
  readonly path: readonly string[];
}

/** Where a side's capabilities object is in the negotiation exchange. */
interface CapabilityLocation {
  readonly member: "params" | "result";
  readonly path: readonly string[];
}

/**
 * What the client needs to know of the protocol at run time, rendered
 * from the protocol's model into `client-protocol.ts`.
 */
export interface ProtocolSettings {
  /** `"2.0"` when every message carries `"jsonrpc": "2.0"`, else `null`. */
  readonly jsonrpc: "2.0" | null;
  /** The request that negotiates capabilities, if the protocol has one. */
  readonly negotiation: {
    readonly method: string;
    readonly client: CapabilityLocation | null;
    readonly server: CapabilityLocation | null;
  } | null;
  /** The capability each method the client sends requires, by method name. */
  readonly gates: {
    readonly requests: Readonly<Record<string, Capability>>;
    readonly notifications: Readonly<Record<string, Capability>>;
  };
}

const SETTINGS: ProtocolSettings = protocolSettings;

// The JSON-RPC error codes the client answers with.
const INVALID_REQUEST = -32600;
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
 * Why a method was not sent: it requires a capability its side has not
 * declared in the negotiation (or nothing was negotiated yet). A request is
 * rejected with one, a notification throws one.
 */
export class CapabilityError extends Error {
  /** The method that was not sent. */
  readonly method: string;
  /** The capability it requires. */
  readonly capability: Capability;

  constructor(method: string, capability: Capability) {
    const name = capability.path.join(".");
    super(`\`${method}\` requires the ${capability.side} capability \`${name}\`, which the ${capability.side} has not declared`);
    this.name = "CapabilityError";
    this.method = method;
    this.capability = capability;
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

/** The method names of the requests the client sends. */
export type ClientRequestMethod = keyof ClientRequests & string;
/** The method names of the notifications the client sends. */
export type ClientNotificationMethod = keyof ClientNotifications & string;
/** The method names of the requests the server sends. */
export type ServerRequestMethod = keyof ServerRequests & string;
/** The method names of the notifications the server sends. */
export type ServerNotificationMethod = keyof ServerNotifications & string;

/**
 * `M` when it is one of the method names `Known`, else `Known` itself: a
 * name that is not a method is then one error, which names the method
 * type (`Argument of type '"getAuthStatu"' is not assignable to parameter
 * of type 'ClientRequestMethod'`).
 */
type Checked<M, Known> = M extends Known ? M : Known;

/**
 * The map entry of method `M`; for a name that is not a method (already
 * reported by {@link Checked}) an entry that admits anything, so that its
 * params and response report nothing more.
 */
type EntryOf<Methods, M> = M extends keyof Methods ? Methods[M] : { params?: any; response: any };

type AnyRequestHandler = (params: unknown, id: RequestId) => unknown;
type AnyNotificationHandler = (params: unknown) => unknown;
type ErrorHandler = (error: Error, message: string) => void;

/** A request sent and not answered yet. */
interface Pending {
  readonly method: string;
  /** The params of the negotiation request, which declare capabilities. */
  readonly negotiates?: { params: unknown };
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
  /** Each side's capabilities object, as the negotiation declared it. */
  private readonly declared: { client?: unknown; server?: unknown } = {};

  constructor(transport: Transport) {
    this.transport = transport;
    transport.onMessage((message) => this.receive(message));
  }

  /**
   * Sends a request and resolves with the server's result, or rejects with
   * a {@link JsonRpcError} carrying the server's error object. Leave
   * `params` out for a method without params: none are sent. A method
   * gated on a capability not declared is rejected with a
   * {@link CapabilityError}, and nothing is sent.
   */
  request<M extends string>(
    method: Checked<M, ClientRequestMethod>,
    ...args: ParamsArgs<EntryOf<ClientRequests, M>>
  ): Promise<ResponseOf<EntryOf<ClientRequests, M>>> {
    const params: unknown = args[0];
    if (this.closedWith !== undefined) {
      return Promise.reject(this.closedWith);
    }
    const gate = ownEntry(SETTINGS.gates.requests, method);
    if (gate !== undefined && !this.declares(gate)) {
      return Promise.reject(new CapabilityError(method, gate));
    }
    const id = this.nextId++;
    const negotiates = method === SETTINGS.negotiation?.method ? { params } : undefined;
    return new Promise<ResponseOf<EntryOf<ClientRequests, M>>>((resolve, reject) => {
      this.pending.set(id, {
        method,
        ...(negotiates === undefined ? {} : { negotiates }),
        resolve: (result) => resolve(result as ResponseOf<EntryOf<ClientRequests, M>>),
        reject,
      });
      try {
        this.transport.send(stringify(params === undefined ? { method, id } : { method, id, params }));
      } catch (error) {
        this.pending.delete(id);
        reject(asError(error));
      }
    });
  }

  /**
   * Sends a notification (no id, no answer). Leave `params` out for a
   * method without params. Throws if the client is closed or the transport
   * throws, and a {@link CapabilityError} (nothing sent) if the method is
   * gated on a capability not declared.
   */
  notify<M extends string>(
    method: Checked<M, ClientNotificationMethod>,
    ...args: ParamsArgs<EntryOf<ClientNotifications, M>>
  ): void {
    const params: unknown = args[0];
    if (this.closedWith !== undefined) {
      throw this.closedWith;
    }
    const gate = ownEntry(SETTINGS.gates.notifications, method);
    if (gate !== undefined && !this.declares(gate)) {
      throw new CapabilityError(method, gate);
    }
    this.transport.send(stringify(params === undefined ? { method } : { method, params }));
  }

  /**
   * Whether `capability` is declared: the negotiation said so, the value
   * at its path existing and being neither `false` nor `null`. Nothing is
   * declared before the negotiation's response.
   */
  declares(capability: Capability): boolean {
    let value = this.declared[capability.side];
    for (const member of capability.path) {
      if (!isObject(value) || !Object.hasOwn(value, member)) {
        return false;
      }
      value = value[member];
    }
    return value !== undefined && value !== null && value !== false;
  }

  /**
   * Answers the server's requests for `method` with what `handler` returns
   * (or resolves to). A handler that throws answers -32603 (internal
   * error), or the error object of a {@link JsonRpcError} it throws. A
   * request without a handler is answered -32601 (method not found). One
   * handler per method: a later one replaces an earlier one. Returns a
   * function that removes the handler.
   */
  onRequest<M extends string>(
    method: Checked<M, ServerRequestMethod>,
    handler: (
      params: ParamsOf<EntryOf<ServerRequests, M>>,
      id: RequestId,
    ) => ResponseOf<EntryOf<ServerRequests, M>> | Promise<ResponseOf<EntryOf<ServerRequests, M>>>,
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
  onNotification<M extends string>(
    method: Checked<M, ServerNotificationMethod>,
    handler: (params: ParamsOf<EntryOf<ServerNotifications, M>>) => void | Promise<void>,
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
    if (SETTINGS.jsonrpc !== null && message["jsonrpc"] !== SETTINGS.jsonrpc) {
      this.refuseUnversioned(message, method, id, text);
      return;
    }
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

  /**
   * A message without `"jsonrpc": "2.0"` in a protocol that requires it:
   * a request is answered -32600 (invalid request), a response rejects the
   * request it answers, and each is reported.
   */
  private refuseUnversioned(message: Record<string, unknown>, method: unknown, id: unknown, text: string): void {
    const problem = `not a JSON-RPC ${SETTINGS.jsonrpc} message: \`jsonrpc\` is not "${SETTINGS.jsonrpc}"`;
    this.report(problem, text);
    if (method !== undefined) {
      if (isRequestId(id)) {
        this.reply({ id, error: { code: INVALID_REQUEST, message: problem } });
      }
      return;
    }
    const pending = typeof id === "number" ? this.pending.get(id) : undefined;
    if (pending !== undefined && typeof id === "number" && ("result" in message || "error" in message)) {
      this.pending.delete(id);
      pending.reject(new Error(`malformed response to \`${pending.method}\` (id ${id}): ${problem}`));
    }
  }

  /** Records what the negotiation declares, for each side it carries. */
  private record(params: unknown, result: unknown): void {
    const negotiation = SETTINGS.negotiation;
    if (negotiation === null) {
      return;
    }
    for (const side of ["client", "server"] as const) {
      const location = negotiation[side];
      if (location === null) {
        continue;
      }
      let value = location.member === "params" ? params : result;
      for (const member of location.path) {
        value = isObject(value) && Object.hasOwn(value, member) ? value[member] : undefined;
      }
      this.declared[side] = value;
    }
  }

  /** Settles the pending request a response answers. */
  private settle(message: Record<string, unknown>, id: unknown, text: string): void {
    const error = message["error"];
    if (id === null && isErrorObject(error)) {
      // JSON-RPC 2.0's answer to what could not be attributed: no request
      // is settled by it.
      this.report(`the server could not read a message: ${error.message} (${error.code})`, text);
      return;
    }
    const pending = typeof id === "number" ? this.pending.get(id) : undefined;
    if (pending === undefined || typeof id !== "number") {
      this.report(`response to no pending request (id ${JSON.stringify(id)})`, text);
      return;
    }
    this.pending.delete(id);
    const hasResult = "result" in message;
    if (error !== undefined && !hasResult && isErrorObject(error)) {
      pending.reject(new JsonRpcError(error));
    } else if (hasResult && error === undefined) {
      if (pending.negotiates !== undefined) {
        this.record(pending.negotiates.params, message["result"]);
      }
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
      text = stringify(response);
    } catch (error) {
      const message = `cannot encode the answer to request ${JSON.stringify(response.id)}: ${asError(error).message}`;
      this.report(message, "");
      text = stringify({ id: response.id, error: { code: INTERNAL_ERROR, message } });
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

/** A message's text: `"jsonrpc": "2.0"` first when the protocol has it. */
function stringify(message: object): string {
  return JSON.stringify(SETTINGS.jsonrpc === null ? message : { jsonrpc: SETTINGS.jsonrpc, ...message });
}

/** `record[key]`, if `key` is its own member (not `toString`, …). */
function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
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
