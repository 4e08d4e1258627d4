//! Serving one connection on tokio (feature `runtime`): newline-delimited
//! JSON read from any `AsyncBufRead`, written to any `AsyncWrite`, every
//! message through the side's [`Connection`].
//!
//! - Each incoming request runs on a task of its own, so a slow one does
//!   not hold up the rest (it runs up to its first wait before the next
//!   line is read: handlers start in the order their messages came); its
//!   answer is written when its handler returns,
//!   unless the request was cancelled by id
//!   ([`PeerHandle::cancel_incoming`]). The negotiation request is the
//!   exception: it is answered before the next line is read, since what it
//!   declares decides what may follow (its handler must not wait on a
//!   request to the peer).
//! - A request whose id is that of a request still being answered is
//!   refused: answered -32600 with that id (`id <id> is already used by a
//!   request being answered`, the id escaped and bounded), its handler not
//!   run; the first request's answer goes out as usual. Once a request is
//!   answered or cancelled by id, its id may be used again.
//! - Each notification runs on a task of its own too.
//! - Responses are paired by id with the [`PeerHandle::request`] futures
//!   awaiting them; what cannot be read is answered with
//!   [`Connection::error_reply`] (-32700, -32600, -32601, -32602, and the
//!   experimental gate's refusals). Every line refused so — undecodable,
//!   refused by the experimental gate or for its id, a notification
//!   dropped, a stray or unusable response — is also handed, as its
//!   [`ReceiveError`], to the hook [`Runtime::on_receive_error`] sets.
//! - A handler that panics is answered -32603 (a notification's is
//!   dropped); the connection goes on.
//! - Writes are one writer task's, one message a line, in the order the
//!   connection encoded them.
//! - When the reader ends (the peer went away), requests awaiting a
//!   response fail with [`RequestError::Closed`], the requests in flight
//!   see their cancellation fire and are dropped at their next wait (an
//!   answer that still comes is written), running notifications finish,
//!   what is queued is written, and [`Runtime::serve`] returns.

use std::future::Future;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::Poll;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::connection::{Connection, ReceiveError, Received};
use crate::handler::{
    Answer, BoxFuture, Cancellation, Dispatch, Endpoint, NotificationContext, RequestContext,
};
use crate::jsonrpc::{ErrorCode, JSONRPCError, JSONRPCErrorError, RequestId};
use crate::link::{AbandonHook, Link, PeerHandle, RequestError};
use crate::method::{MethodSet, RequestSet};

/// What the writer task is given.
enum Out {
    Line(Vec<u8>),
    /// Everything queued before was written: flush and stop.
    Close,
}

/// The handler, behind the side's dispatch.
trait Handlers<P: Endpoint>: Send + Sync {
    fn request(&self, cx: RequestContext<P>, request: P::PeerRequests) -> Answer<P>;
    fn notification(
        &self,
        cx: NotificationContext<P>,
        notification: P::PeerNotifications,
    ) -> BoxFuture<()>;
}

struct Bound<H>(Arc<H>);

impl<P: Dispatch<H>, H: Send + Sync + 'static> Handlers<P> for Bound<H> {
    fn request(&self, cx: RequestContext<P>, request: P::PeerRequests) -> Answer<P> {
        P::request(&self.0, cx, request)
    }

    fn notification(
        &self,
        cx: NotificationContext<P>,
        notification: P::PeerNotifications,
    ) -> BoxFuture<()> {
        P::notification(&self.0, cx, notification)
    }
}

/// Called with what the runtime could not use of a line the peer sent.
type ReceiveErrorHook = Box<dyn Fn(&ReceiveError) + Send + Sync>;

/// Side `P` of one connection, served by a handler: see the
/// [module](self) documentation.
///
/// ```ignore
/// Runtime::<ServerSide>::new(MyServer::default()).serve_stdio().await?;
/// ```
pub struct Runtime<P: Endpoint> {
    handlers: Arc<dyn Handlers<P>>,
    connection: Option<Connection<P>>,
    abandoned: Option<AbandonHook<P>>,
    receive_error: Option<ReceiveErrorHook>,
    link: Option<Arc<Link<P>>>,
    sender: mpsc::UnboundedSender<Out>,
    /// What the writer task writes, queued from the start.
    lines: Option<mpsc::UnboundedReceiver<Out>>,
}

impl<P: Endpoint> Runtime<P> {
    /// Side `P` served by `handler`: `P` is `ServerSide` for a
    /// `ServerHandler`, `ClientSide` for a `ClientHandler`.
    pub fn new<H>(handler: H) -> Self
    where
        P: Dispatch<H>,
        H: Send + Sync + 'static,
    {
        let (sender, lines) = mpsc::unbounded_channel();
        Runtime {
            handlers: Arc::new(Bound(Arc::new(handler))),
            connection: Some(Connection::new()),
            abandoned: None,
            receive_error: None,
            link: None,
            sender,
            lines: Some(lines),
        }
    }

    /// Serves `connection` instead of a new one (for example one made by
    /// [`Connection::negotiated_for_tests`]). Before [`Runtime::peer`].
    pub fn with_connection(mut self, connection: Connection<P>) -> Self {
        assert!(self.link.is_none(), "with_connection comes before peer()");
        self.connection = Some(connection);
        self
    }

    /// Called when a [`PeerHandle::request`] future is dropped before its
    /// response came (the request is forgotten either way): where the
    /// protocol has a cancel notification, send it here. Before
    /// [`Runtime::peer`].
    pub fn on_abandoned(
        mut self,
        hook: impl Fn(&PeerHandle<P>, &RequestId, &'static str) + Send + Sync + 'static,
    ) -> Self {
        assert!(self.link.is_none(), "on_abandoned comes before peer()");
        self.abandoned = Some(Box::new(hook));
        self
    }

    /// Called, on the task reading the connection, for every line it
    /// refuses, after its error reply (if any) is queued: one that cannot
    /// be read ([`ReceiveError::Decode`]), a request refused by the
    /// experimental gate or because its id is that of a request still
    /// being answered ([`ReceiveError::Refused`]), a notification dropped
    /// ([`ReceiveError::Dropped`]), a response that answers no pending
    /// request or cannot be used ([`ReceiveError::Response`]). The error
    /// holds no more of the peer's text than its messages quote, escaped
    /// and bounded: it can be logged. The connection goes on either way.
    pub fn on_receive_error(
        mut self,
        hook: impl Fn(&ReceiveError) + Send + Sync + 'static,
    ) -> Self {
        self.receive_error = Some(Box::new(hook));
        self
    }

    /// Hands `error` to the hook, if there is one.
    fn refused(&self, error: &ReceiveError) {
        if let Some(hook) = &self.receive_error {
            hook(error);
        }
    }

    fn link(&mut self) -> Arc<Link<P>> {
        if let Some(link) = &self.link {
            return Arc::clone(link);
        }
        let sender = self.sender.clone();
        let link = Arc::new(Link::new(
            self.connection
                .take()
                .expect("the connection is taken once"),
            Box::new(move |line| sender.send(Out::Line(line)).is_ok()),
            self.abandoned.take(),
        ));
        self.link = Some(Arc::clone(&link));
        link
    }

    /// The handle to the peer: what a client drives its requests with.
    /// Requests made before [`Runtime::serve`] runs are written once it
    /// does.
    pub fn peer(&mut self) -> PeerHandle<P> {
        PeerHandle::new(self.link())
    }

    /// Serves the connection on stdin and stdout.
    pub async fn serve_stdio(self) -> io::Result<()> {
        self.serve(
            tokio::io::BufReader::new(tokio::io::stdin()),
            tokio::io::stdout(),
        )
        .await
    }

    /// Serves the connection until `reader` ends; an error reading or
    /// writing ends it too, and is returned once the rest shut down.
    pub async fn serve<R, W>(mut self, mut reader: R, writer: W) -> io::Result<()>
    where
        R: AsyncBufRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let link = self.link();
        let lines = self.lines.take().expect("serve runs once");
        let writer = tokio::spawn(write_lines(lines, writer));
        let mut tasks = JoinSet::new();
        let mut line = Vec::new();
        let read = loop {
            line.clear();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) => break Ok(()),
                Ok(_) => {}
                Err(error) => break Err(error),
            }
            while tasks.try_join_next().is_some() {}
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.incoming(&link, &line, &mut tasks).await;
        };
        link.close();
        link.cancel_all();
        while tasks.join_next().await.is_some() {}
        let _ = self.sender.send(Out::Close);
        let written = writer
            .await
            .unwrap_or_else(|panic| Err(io::Error::other(panic.to_string())));
        read.and(written)
    }

    async fn incoming(&self, link: &Arc<Link<P>>, line: &[u8], tasks: &mut JoinSet<()>) {
        let received = {
            let mut connection = link.connection();
            let received = connection.receive(line);
            match &received {
                Err(error) => {
                    if let Some(reply) = connection.error_reply(error) {
                        link.write(reply);
                    }
                    if let ReceiveError::Response(error) = error {
                        link.fail_answered(&connection, error);
                    }
                }
                Ok(Received::Error { error, .. }) => {
                    link.settle(&error.id, Err(RequestError::Peer(error.error.clone())));
                }
                Ok(_) => {}
            }
            received
        };
        match received {
            Ok(Received::Request(request)) => {
                let id = request.id().clone();
                let info = request.info();
                let cancellation = Cancellation::new();
                if !link.start(id.clone(), cancellation.clone()) {
                    let refused = JSONRPCError {
                        jsonrpc: P::settings().jsonrpc,
                        error: JSONRPCErrorError::new(
                            ErrorCode::InvalidRequest.code(),
                            format!("id {id} is already used by a request being answered"),
                        ),
                        id,
                    };
                    let refused = ReceiveError::Refused(refused);
                    {
                        let mut connection = link.connection();
                        if let Some(reply) = connection.error_reply(&refused) {
                            link.write(reply);
                        }
                    }
                    self.refused(&refused);
                    return;
                }
                let cx = RequestContext::new(
                    id.clone(),
                    info.name,
                    cancellation.clone(),
                    PeerHandle::new(Arc::clone(link)),
                );
                let answer = self.handlers.request(cx.clone(), request);
                let answered = answer_with(Arc::clone(link), cx, answer);
                if P::settings().negotiates(info) {
                    answered.await;
                } else {
                    start(Box::pin(answered), tasks);
                }
            }
            Ok(Received::Notification(notification)) => {
                let cx = NotificationContext::new(
                    notification.method(),
                    PeerHandle::new(Arc::clone(link)),
                );
                start(guarded(self.handlers.notification(cx, notification)), tasks);
            }
            Ok(Received::Response { id, response }) => link.settle(&id, Ok(response)),
            Err(error) => self.refused(&error),
            Ok(Received::Error { .. } | Received::UnattributedError(_)) => {}
        }
    }
}

/// Runs a handler up to its first wait before the next line is read, so
/// that handlers start in the order their messages arrived (one that checks
/// what an earlier message changed sees it changed), then on a task of its
/// own.
fn start(mut handler: BoxFuture<()>, tasks: &mut JoinSet<()>) {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    if handler.as_mut().poll(&mut cx).is_pending() {
        // The task polls it again at once, with its own waker.
        tasks.spawn(handler);
    }
}

/// `future`, whose panic ends it: a handler that fails does not take the
/// connection down with it.
fn guarded(mut future: BoxFuture<()>) -> BoxFuture<()> {
    Box::pin(std::future::poll_fn(move |cx| {
        std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx)))
            .unwrap_or(Poll::Ready(()))
    }))
}

/// Runs a request's handler and writes its answer (-32603 when it
/// panicked), then what the handler
/// asked to follow it ([`RequestContext::after_answer`]). The handler is
/// polled first, so that one waiting on its cancellation sees it; a
/// cancelled one still waiting is dropped, and the answer of one cancelled
/// by id is not sent.
async fn answer_with<P: Endpoint>(
    link: Arc<Link<P>>,
    cx: RequestContext<P>,
    mut answer: Answer<P>,
) {
    let id = cx.id().clone();
    let cancellation = cx.cancellation();
    let method = cx.method();
    let answered = std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| answer.as_mut().poll(cx))) {
            Ok(Poll::Ready(answer)) => return Poll::Ready(Some(answer)),
            Ok(Poll::Pending) => {}
            // Never polled again.
            Err(_) => {
                return Poll::Ready(Some(Err(JSONRPCErrorError::new(
                    ErrorCode::InternalError.code(),
                    format!("the handler of `{method}` failed"),
                ))))
            }
        }
        match std::pin::pin!(cancellation.cancelled()).poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await;
    if !link.finish(&id, cancellation) {
        return;
    }
    let Some(answer) = answered else { return };
    let text = {
        let mut connection = link.connection();
        match answer {
            Ok(response) => match connection.respond_to_id(id.clone(), &response) {
                Ok(text) => text,
                Err(error) => connection.error(&JSONRPCError {
                    jsonrpc: P::settings().jsonrpc,
                    error: JSONRPCErrorError::new(
                        ErrorCode::InternalError.code(),
                        format!("cannot encode the response: {error}"),
                    ),
                    id,
                }),
            },
            Err(error) => connection.error(&JSONRPCError {
                jsonrpc: P::settings().jsonrpc,
                error,
                id,
            }),
        }
    };
    link.write(text);
    for then in cx.take_after() {
        guarded(then).await;
    }
}

/// The writer task: each message and a newline, flushed when nothing else
/// is queued; shut down at the end.
async fn write_lines<W: AsyncWrite + Unpin>(
    mut lines: mpsc::UnboundedReceiver<Out>,
    mut writer: W,
) -> io::Result<()> {
    while let Some(out) = lines.recv().await {
        match out {
            Out::Line(mut line) => {
                line.push(b'\n');
                writer.write_all(&line).await?;
                if lines.is_empty() {
                    writer.flush().await?;
                }
            }
            Out::Close => break,
        }
    }
    writer.shutdown().await
}
