#!/bin/sh
# selfware-git capture hook (marker: selfware-git-hook v1). Installed by `selfware-git install-hooks`.
# Hot path: plain sh and builtins; git runs only where a commit must be pinned or a task stored,
# and then once per hook call however many refs the call carries.
# Two hooks are enough: reference-transaction sees every move of HEAD and the branches (new
# commits included), post-rewrite maps amended and rebased commits to their new versions.
# It never fails a git command and never writes to the terminal: every error goes to
# errors.log, and the user's own hook decides the exit status where git reads it.

# Empty when the hooks directory is shared by several repositories: then found at run time.
SELFWARE_DIR=@SELFWARE_DIR@
# The hook this one chains: empty for "$0.selfware-chained" (ours took its place), `repository`
# for the repository's own hook (a global install, which git runs instead of it), else the
# folder of hooks that a global install replaced.
CHAIN=@CHAIN@
hook=${0##*/}
nl='
'

# Nested calls from our own `git update-ref` must not record or chain anything.
if [ -n "$SELFWARE_INTERNAL" ]; then
    exit 0
fi

find_common_dir() {
    # Git runs hooks at the top of the work tree: there, a `.git` folder with no `commondir`
    # is the common dir, with no process to ask. Anything else (worktrees, bare, GIT_DIR): git.
    if [ -z "$GIT_DIR$GIT_COMMON_DIR" ] && [ -d .git ] && [ ! -e .git/commondir ]; then
        printf '%s/.git' "$PWD"
    else
        git rev-parse --path-format=absolute --git-common-dir 2>/dev/null
    fi
}

is_ours() {
    # $1: a hook file; ours carries the marker on its second line.
    [ -f "$1" ] || return 1
    {
        IFS= read -r _first
        IFS= read -r second
    } <"$1" 2>/dev/null || return 1
    case $second in *"selfware-git-hook v1"*) return 0 ;; *) return 1 ;; esac
}

if [ -z "$SELFWARE_DIR" ]; then
    SELFWARE_DIR=$(find_common_dir) && [ -n "$SELFWARE_DIR" ] && SELFWARE_DIR=$SELFWARE_DIR/selfware ||
        SELFWARE_DIR=
fi
case $CHAIN in
'') legacy="$0.selfware-chained" ;;
repository)
    legacy=${SELFWARE_DIR%/selfware}/hooks/$hook
    # Installed in this repository as well: its chained hook is the repository's own.
    ! is_ours "$legacy" || legacy=$legacy.selfware-chained
    [ -n "$SELFWARE_DIR" ] || legacy=
    ;;
*) legacy=$CHAIN/$hook ;;
esac

record() {
    printf 'v1\t%s\n' "$1" >>"$SELFWARE_DIR/journal"
}

add_pin() {
    # $1: a commit about to become unreachable. Already pinned (a loose ref): nothing to do.
    [ -e "$common_dir/refs/selfware/pin/$1" ] && return 0
    add_ref "refs/selfware/pin/$1" "$1"
    pin_count=$((pin_count + 1))
}

add_ref() {
    refs="${refs}update $1 $2$nl"
    ref_count=$((ref_count + 1))
}

write_refs() {
    # One `git update-ref --stdin` for all of this call's refs; the same ref twice in one
    # transaction is fatal for git, so duplicate pins (two branches on one commit) go first.
    [ "$ref_count" -gt 0 ] || return 0
    if [ "$pin_count" -gt 1 ]; then
        printf '%s' "$refs" | sort -u | SELFWARE_INTERNAL=1 git update-ref --stdin
    else
        printf '%s' "$refs" | SELFWARE_INTERNAL=1 git update-ref --stdin
    fi || printf 'hook %s: could not pin: %s\n' "$hook" "$refs" >&2
}

is_zero() {
    case "$1" in *[!0]*) return 1 ;; *) return 0 ;; esac
}

clean_agent() {
    # SELFWARE_AGENT goes into tab-separated, line-based records: a tab or line break in it
    # would forge fields or lines, so every control character becomes a space (and is logged).
    agent=${SELFWARE_AGENT:--}
    case $agent in *[[:cntrl:]]*) ;; *) return 0 ;; esac
    while :; do
        case $agent in
        *[[:cntrl:]]*) agent="${agent%%[[:cntrl:]]*} ${agent#*[[:cntrl:]]}" ;;
        *) break ;;
        esac
    done
    [ "$1" = prepared ] ||
        printf 'hook %s: SELFWARE_AGENT holds a tab, line break or other control character; recorded as "%s"\n' \
            "$hook" "$agent" >&2
}

capture_agent_commit() {
    # $1 old, $2 new value of HEAD, moved while an agent said it was at work. The miner keeps
    # it as the agent's commit only where the move has the shape of a new commit.
    task=-
    add_ref "refs/selfware/agent/$2" "$2"
    if [ -n "$SELFWARE_TASK" ]; then
        task=$(printf '%s' "$SELFWARE_TASK" | git hash-object -w --stdin) &&
            add_ref "refs/selfware/task/$2" "$task"
    fi
    record "commit	$2	$agent	$task	$1"
}

capture_post_rewrite() {
    while read -r old new _rest; do
        [ -n "$old" ] || continue
        record "rewrite	$1	$old	$new	$agent"
        add_pin "$old"
    done
    write_refs
}

deleted_branch() {
    # $1: the commit branch $2 pointed at, read before the deletion goes through.
    record "ref	$1	$zero	$2	$agent"
    add_pin "$1"
}

note_abort() {
    # Git runs a packed-refs transaction inside each ref deletion and aborts it, with no
    # input, when none of the deleted refs is packed; the deletion's own "prepared" call comes
    # next. Noting the abort here spares that call a git process for refs that are gone.
    IFS= read -r line || printf '%s\n' "$PPID" >"$SELFWARE_DIR/aborted"
}

capture_reference_transaction() {
    [ "$1" != aborted ] || {
        note_abort
        return 0
    }
    unresolved=
    zero=
    not_packed=
    if [ "$1" = prepared ] && [ -s "$SELFWARE_DIR/aborted" ]; then
        IFS= read -r not_packed <"$SELFWARE_DIR/aborted"
        : >"$SELFWARE_DIR/aborted"
    fi
    while read -r old new ref; do
        case "$1:$ref" in
        committed:ORIG_HEAD)
            is_zero "$new" || add_pin "$new"
            ;;
        committed:HEAD | committed:refs/heads/*)
            [ "$old" != "$new" ] || continue
            record "ref	$old	$new	$ref	$agent"
            if [ "$ref" = HEAD ] && [ -n "$SELFWARE_AGENT" ] && ! is_zero "$new"; then
                capture_agent_commit "$old" "$new"
            fi
            ;;
        prepared:refs/heads/*)
            # A deleted branch is announced with no old value: read it while it still exists,
            # from its loose ref file where it has one (no process), else from git, below.
            is_zero "$new" && is_zero "$old" || continue
            zero=$new
            oid=
            if [ -f "$common_dir/$ref" ]; then
                IFS= read -r oid <"$common_dir/$ref" || oid=
            fi
            case $oid in
            '' | *[!0-9a-f]*) unresolved="$unresolved$ref^{commit} $ref$nl" ;;
            *) deleted_branch "$oid" "$ref" ;;
            esac
            ;;
        esac
    done
    if [ -n "$unresolved" ] && [ "$not_packed" != "$PPID" ]; then
        # Packed (or symbolic) branches: all of this call's, resolved by one git process.
        resolved=$(printf '%s' "$unresolved" |
            git cat-file --batch-check='%(objectname) %(objecttype) %(rest)')
        while read -r oid type ref; do
            [ "$type" != commit ] || deleted_branch "$oid" "$ref"
        done <<RESOLVED
$resolved
RESOLVED
    fi
    write_refs
}

capture() {
    [ -z "$SELFWARE_DISABLE" ] || [ "$SELFWARE_DISABLE" = 0 ] || return 0
    [ ! -e "$SELFWARE_DIR/disabled" ] || return 0 # `selfware-git disable`
    [ -d "$SELFWARE_DIR" ] || mkdir -p "$SELFWARE_DIR" || return 0
    common_dir=${SELFWARE_DIR%/selfware}
    refs=
    ref_count=0
    pin_count=0
    clean_agent "$1"
    case "$hook" in
    post-rewrite) capture_post_rewrite "$1" ;;
    reference-transaction) capture_reference_transaction "$1" ;;
    esac
    return 0
}

run_capture() {
    [ -n "$SELFWARE_DIR" ] || return 0
    # Errors go to errors.log; where even that cannot be written, nowhere (never the terminal).
    { { capture "$@"; } 2>>"$SELFWARE_DIR/errors.log" || capture "$@"; } >/dev/null 2>&1
}

if [ -z "$legacy" ] || [ ! -x "$legacy" ]; then
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
