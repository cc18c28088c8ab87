#!/bin/sh
# selfware-git capture hook (marker: selfware-git-hook v1). Installed by `selfware-git install-hooks`.
# Hot path: plain sh and builtins; git runs only where a commit must be pinned or a task stored.
# Two hooks are enough: reference-transaction sees every move of HEAD and the branches (new
# commits included), post-rewrite maps amended and rebased commits to their new versions.
# It never fails a git command: every error goes to errors.log and the user's own hook decides
# the exit status where git reads it.

# Empty when the hooks directory is shared by several repositories: then ask git at run time.
SELFWARE_DIR=@SELFWARE_DIR@
hook=${0##*/}
legacy="$0.selfware-chained"

# Nested calls from our own `git update-ref` must not record or chain anything.
if [ -n "$SELFWARE_INTERNAL" ]; then
    exit 0
fi

record() {
    printf 'v1\t%s\n' "$1" >>"$SELFWARE_DIR/journal"
}

pin() {
    # $1: lines of "update <ref> <oid>" for `git update-ref --stdin`
    printf '%s' "$1" | SELFWARE_INTERNAL=1 git update-ref --stdin ||
        printf 'hook %s: could not pin: %s\n' "$hook" "$1"
}

is_zero() {
    case "$1" in *[!0]*) return 1 ;; *) return 0 ;; esac
}

capture_agent_commit() {
    # $1 old, $2 new value of HEAD, moved while an agent said it was at work. The miner keeps
    # it as the agent's commit only where the move has the shape of a new commit.
    task=-
    pins="${pins}update refs/selfware/agent/$2 $2
"
    if [ -n "$SELFWARE_TASK" ]; then
        task=$(printf '%s' "$SELFWARE_TASK" | git hash-object -w --stdin) &&
            pins="${pins}update refs/selfware/task/$2 $task
"
    fi
    record "commit	$2	$SELFWARE_AGENT	$task	$1"
}

capture_post_rewrite() {
    pins=
    while read -r old new _rest; do
        [ -n "$old" ] || continue
        record "rewrite	$1	$old	$new	${SELFWARE_AGENT:--}"
        pins="${pins}update refs/selfware/pin/$old $old
"
    done
    [ -z "$pins" ] || pin "$pins"
}

capture_reference_transaction() {
    pins=
    while read -r old new ref; do
        case "$1:$ref" in
        committed:ORIG_HEAD)
            is_zero "$new" || pins="${pins}update refs/selfware/pin/$new $new
"
            ;;
        committed:HEAD | committed:refs/heads/*)
            [ "$old" != "$new" ] || continue
            record "ref	$old	$new	$ref	${SELFWARE_AGENT:--}"
            if [ "$ref" = HEAD ] && [ -n "$SELFWARE_AGENT" ] && ! is_zero "$new"; then
                capture_agent_commit "$old" "$new"
            fi
            ;;
        prepared:refs/heads/*)
            # A deleted branch is announced with no old value: read it while it still exists.
            is_zero "$new" && is_zero "$old" || continue
            old=$(git rev-parse -q --verify "$ref^{commit}") || continue
            record "ref	$old	$new	$ref	${SELFWARE_AGENT:--}"
            pins="${pins}update refs/selfware/pin/$old $old
"
            ;;
        esac
    done
    [ -z "$pins" ] || pin "$pins"
}

capture() {
    [ -z "$SELFWARE_DISABLE" ] || [ "$SELFWARE_DISABLE" = 0 ] || return 0
    [ ! -e "$SELFWARE_DIR/disabled" ] || return 0 # `selfware-git disable`
    [ -d "$SELFWARE_DIR" ] || mkdir -p "$SELFWARE_DIR" || return 0
    case "$hook" in
    post-rewrite) capture_post_rewrite "$1" ;;
    reference-transaction) capture_reference_transaction "$1" ;;
    esac
    return 0
}

run_capture() {
    if [ -z "$SELFWARE_DIR" ]; then
        SELFWARE_DIR=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/selfware ||
            return 0
    fi
    { capture "$@"; } 2>>"$SELFWARE_DIR/errors.log" || { capture "$@"; } 2>/dev/null
}

if [ ! -x "$legacy" ]; then
    [ "$1" != aborted ] || exit 0
    run_capture "$@"
    exit 0
fi

# Both hooks are fed on stdin: keep a copy for the user's hook, which decides the exit status.
input=
while IFS= read -r line; do
    input="$input$line
"
done
printf '%s' "$input" | run_capture "$@"
printf '%s' "$input" | "$legacy" "$@"
status=$?
[ "$hook" = reference-transaction ] || status=0
exit $status
