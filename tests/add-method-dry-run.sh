#!/usr/bin/env bash
# Follows the README's "Adding a method, step by step" for a client request
# `thread/unarchive`, in a scratch copy of the repository (the repository
# itself is not touched), and checks that the whole suite is then green.
#
#   tests/add-method-dry-run.sh [--keep]
#
# --keep leaves the scratch copy in place and prints its path. The copy
# builds into target/add-method-dry-run/ of this repository (or
# $DRY_RUN_TARGET_DIR), kept between runs so dependencies compile once. Not
# target/ itself: cargo would take the copy's build of the workspace crates
# for this repository's, with the copy's paths compiled in.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
keep=false
[ "${1:-}" = "--keep" ] && keep=true

scratch="$(mktemp -d "${TMPDIR:-/tmp}/add-method-dry-run.XXXXXX")"
if ! $keep; then
  trap 'rm -rf "$scratch"' EXIT
fi
export CARGO_TARGET_DIR="${DRY_RUN_TARGET_DIR:-$root/target/add-method-dry-run}"

step() { printf '\n== %s\n' "$*"; }

step "scratch copy of the working tree: $scratch"
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
  | xargs -0 cp --parents -t "$scratch")
# Fresh modification times (no -a): nothing built from an earlier copy, at
# another path, looks up to date. The npm packages' node_modules are copied
# last, so they are newer than their lockfiles and `npm ci` is not needed.
for package in tests/ts-client mcp/peers; do
  if [ -d "$root/$package/node_modules" ]; then
    cp -r "$root/$package/node_modules" "$scratch/$package/"
  fi
done
cd "$scratch"
git init -q
git -c user.name=dry-run -c user.email=dry-run@localhost add -A
git -c user.name=dry-run -c user.email=dry-run@localhost commit -qm "before"

step "1. types and the #[method] variant"
cat >> protocol-defs/src/v1.rs <<'EOF'

/// Params of `thread/unarchive`.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadUnarchiveParams {
    pub thread_id: String,
}

/// Result of `thread/unarchive`: an empty object.
#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadUnarchiveResponse {}
EOF
anchor='        InterruptConversation(InterruptConversationParams),'
grep -qxF "$anchor" protocol-defs/src/protocol.rs
awk -v anchor="$anchor" '
  { print }
  $0 == anchor {
    print ""
    print "        /// Archives a conversation."
    print "        #[method(\"thread/unarchive\", response = ThreadUnarchiveResponse)]"
    print "        ThreadUnarchive(ThreadUnarchiveParams),"
  }' protocol-defs/src/protocol.rs > protocol.rs.new
mv protocol.rs.new protocol-defs/src/protocol.rs

step "2. conformance examples"
examples=protocol-defs/conformance/thread/unarchive
mkdir -p "$examples/invalid"
echo '{ "threadId": "67e55044-10b1-426f-9247-bb680e5fe0c8" }' > "$examples/params.json"
echo '{}' > "$examples/response.json"
echo '{}' > "$examples/invalid/params-missing-thread-id.json"
echo '"ok"' > "$examples/invalid/response-not-object.json"

step "3. cargo run -p codegen-cli -- write-schema"
summary="$(cargo run -q -p codegen-cli -- write-schema)"
echo "$summary"
# One line: the folder, its files, and how many it wrote (the new method's).
case "$summary" in
  *" files, "*" written"*) ;;
  *) echo "write-schema did not say it wrote the new method's files" >&2; exit 1 ;;
esac

step "4. the example app server's ServerHandler handles it (here: not offered)"
anchor='    async fn initialized(&self, cx: NotificationContext<ServerSide>) {'
grep -qxF "$anchor" tests/src/bin/example-app-server.rs
awk -v anchor="$anchor" '
  $0 == anchor {
    print "    async fn thread_unarchive("
    print "        &self,"
    print "        cx: Cx,"
    print "        _: ThreadUnarchiveParams,"
    print "    ) -> Answer<ThreadUnarchiveResponse> {"
    print "        self.not_implemented(&cx)"
    print "    }"
    print ""
  }
  { print }' tests/src/bin/example-app-server.rs > server.rs.new
mv server.rs.new tests/src/bin/example-app-server.rs
# Nothing to do in tests/ts-client/app.ts for a client request.

step "5. collect the snapshot changes in one run and accept them (reviewed below)"
if cargo insta --version >/dev/null 2>&1; then
  env -u CI cargo insta test --workspace --accept
else
  env -u CI INSTA_FORCE_PASS=1 INSTA_UPDATE=always cargo test --workspace
fi
git status --short
git diff -- tests/tests/it/snapshots

step "6. cargo test --workspace (as CI runs it: nothing is written)"
CI=true INSTA_UPDATE=no cargo test --workspace
leftovers="$(git status --porcelain | grep -E '\.snap\.new|\.pending-snap' || true)"
if [ -n "$leftovers" ]; then
  echo "pending snapshots left behind:" >&2
  echo "$leftovers" >&2
  exit 1
fi

step "green: thread/unarchive added by the README's steps"
if $keep; then
  echo "scratch copy kept at $scratch"
fi
