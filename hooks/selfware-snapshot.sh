#!/bin/sh
# selfware-git agent edit snapshot (marker: selfware-git-snapshot v1).
# An agent's own hooks call this before and after each of its tool calls (`--event pre|post`)
# and when the person submits a prompt (`--event prompt`), with the agent's hook payload (JSON)
# on stdin. pre/post store the working tree, untracked files included and .gitignore
# respected, as a commit built through a temporary index (the person's index, working tree
# and `git status` are never touched), chained per session under
# refs/selfware/snapshot/<agent>/<session>; the raw payload is the commit's message, parsed
# later by `selfware-git mine` (sh cannot parse JSON, and jq may be missing). prompt stores
# the payload alone, with the tree of the session's last snapshot.
# Hot path: sh and a few git processes, no Python. It never blocks the agent: it prints
# nothing, always exits 0 (2 would block the tool call), and every error goes to errors.log.

LC_ALL=C
export LC_ALL
nl='
'
# Payloads past this are cut (a Write's payload holds the whole file); files past the
# miner's size limit (miner/filters.py MAX_FILE_BYTES) are left out of snapshots.
MAX_PAYLOAD=262144
MAX_FILE_BYTES=8388608
# Never stored: files that look like secrets (the miner's SENSITIVE_NAMES, as pathspecs).
SENSITIVE='.env .env.* *.env *.pem *.key *.p12 *.pfx id_rsa* id_dsa* id_ecdsa* id_ed25519*
secrets.* secret.* credentials credentials.* *.keystore .netrc .npmrc .pypirc'

clean_name() {
    # $1 → name: letters, digits, `_` and `-` only (ref-name safe), at most 64, never empty.
    name=$1
    [ ${#name} -le 64 ] || name=$(printf '%.64s' "$name")
    while :; do
        case $name in
        *[!A-Za-z0-9_-]*) name="${name%%[!A-Za-z0-9_-]*}_${name#*[!A-Za-z0-9_-]}" ;;
        *) break ;;
        esac
    done
    [ -n "$name" ] || name=unknown
}

session_of_payload() {
    # Claude Code sends `session_id`, Cursor `conversation_id`, both near the start: only the
    # first KiB is searched (sh pattern matching is quadratic in the text's length).
    front=$(printf '%.1024s' "$payload")
    rest=${front#*\"session_id\"}
    [ "$rest" != "$front" ] || rest=${front#*\"conversation_id\"}
    value=unknown
    if [ "$rest" != "$front" ]; then
        case $rest in *\"*)
            rest=${rest#*\"}
            value=${rest%%\"*}
            ;;
        esac
    fi
    clean_name "$value"
    session=$name
}

find_dirs() {
    # Where the agent runs, normally the top of the work tree: there, a `.git` folder with no
    # `commondir` is all we need, with no process to ask. Anything else: git.
    if [ -z "$GIT_DIR$GIT_COMMON_DIR" ] && [ -d .git ] && [ ! -e .git/commondir ]; then
        git_dir=$PWD/.git
        common_dir=$git_dir
        top=$PWD
        return 0
    fi
    dirs=$(git rev-parse --path-format=absolute --git-dir --git-common-dir --show-toplevel \
        2>/dev/null) || return 1
    git_dir=${dirs%%"$nl"*}
    rest=${dirs#*"$nl"}
    common_dir=${rest%%"$nl"*}
    top=${rest#*"$nl"}
    [ -n "$top" ] && [ "$top" != "$rest" ]
}

read_head() {
    # HEAD's commit, from the loose ref file where there is one (no process), else from git.
    head=
    IFS= read -r line <"$git_dir/HEAD" || line=
    case $line in
    'ref: '*)
        [ ! -f "$common_dir/${line#ref: }" ] || IFS= read -r head <"$common_dir/${line#ref: }"
        ;;
    *) head=$line ;;
    esac
    case $head in
    '' | *[!0-9a-f]*) head=$(git rev-parse -q --verify HEAD 2>/dev/null) || head=- ;;
    esac
}

read_state() {
    # The session's last snapshot and its tree, kept beside the ref so that no git process
    # is needed to find them; a missing or torn state file: asked of git.
    parent=
    parent_tree=
    [ ! -f "$state" ] || IFS=' ' read -r parent parent_tree <"$state" || :
    case $parent in
    '' | *[!0-9a-f]*)
        parent=$(git rev-parse -q --verify "$ref^{commit}" 2>/dev/null) || parent=
        parent_tree=
        ;;
    esac
}

add_all() {
    # $1: the index to add into; the pathspecs are in "$@" after it.
    index_file=$1
    shift
    GIT_INDEX_FILE=$index_file git -c core.hooksPath=/dev/null -c core.safecrlf=false \
        -c advice.addIgnoredFile=false add -A --ignore-errors -- "$@" >/dev/null &&
        tree=$(GIT_INDEX_FILE=$index_file git write-tree)
}

snapshot_tree() {
    # The working tree as a tree object, through the session's own index (first copied from
    # the person's: its stat data spares rehashing unchanged files), `add -A` into it.
    # Untracked files over the size limit and sensitive names are left out by pathspec.
    session_index=$state.index
    if [ ! -f "$session_index" ] && [ -f "$git_dir/index" ]; then
        # Created whole and never overwritten: a concurrent first call of the same session may
        # already have added to it (a plain cp over it would take its files away again).
        cp "$git_dir/index" "$session_index.$$" || return 1
        ln "$session_index.$$" "$session_index" 2>/dev/null ||
            [ -f "$session_index" ] || mv "$session_index.$$" "$session_index"
        rm -f "$session_index.$$"
    fi
    set -f
    set -- :/
    for pattern in $SENSITIVE; do
        set -- "$@" ":(top,glob,exclude)**/$pattern"
    done
    untracked=$(git -c core.quotePath=false -C "$top" ls-files -o --exclude-standard) || untracked=
    if [ -n "$untracked" ]; then
        big=$(
            IFS=$nl
            # shellcheck disable=SC2046,SC2086
            cd "$top" && find $(printf './%s\n' $untracked) -prune -type f \
                -size +"$MAX_FILE_BYTES"c 2>/dev/null
        )
        old_ifs=$IFS
        IFS=$nl
        for path in $big; do
            set -- "$@" ":(top,literal,exclude)${path#./}"
        done
        IFS=$old_ifs
    fi
    set +f
    add_all "$session_index" "$@" 2>/dev/null && return 0
    # The session's index is locked by a concurrent call of the same session: a private copy.
    tmp_index=$state.index.$$
    cp "$session_index" "$tmp_index" && add_all "$tmp_index" "$@"
    status=$?
    rm -f "$tmp_index"
    return $status
}

empty_tree() {
    tree=$(git hash-object -t tree -w --stdin </dev/null)
}

store_event() {
    # The event as the next commit of the session's chain; the ref moves only from the parent
    # read above, so a concurrent call of the same session cannot lose a link.
    read_head
    message="selfware snapshot v1 $event${nl}${nl}agent: $agent${nl}session: $session"
    message="$message${nl}head: $head${nl}${nl}$payload"
    export GIT_AUTHOR_NAME="selfware-git snapshot" GIT_AUTHOR_EMAIL=snapshot@selfware-git.invalid
    export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
    if [ -n "$parent" ]; then
        commit=$(printf '%s\n' "$message" | git commit-tree "$tree" -p "$parent") || return 1
    else
        commit=$(printf '%s\n' "$message" | git commit-tree "$tree") || return 1
    fi
    if git -c core.hooksPath=/dev/null update-ref "$ref" "$commit" "$parent"; then
        printf '%s %s\n' "$commit" "$tree" >"$state"
    else
        rm -f "$state" # another call of this session moved the ref: read it afresh next time
        return 1
    fi
}

snapshot() {
    case $event in pre | post | prompt) ;; *)
        printf 'snapshot: unknown --event "%s" (pre, post or prompt)\n' "$event" >&2
        return 0
        ;;
    esac
    session_of_payload
    ref=refs/selfware/snapshot/$agent/$session
    snap_dir=$SELFWARE_DIR/snapshots/$agent
    [ -d "$snap_dir" ] || mkdir -p "$snap_dir" || return 1
    state=$snap_dir/$session
    read_state
    if [ "$event" = prompt ]; then
        tree=$parent_tree
        if [ -z "$tree" ] && [ -n "$parent" ]; then
            tree=$(git rev-parse -q --verify "$parent^{tree}") || return 1
        fi
        [ -n "$tree" ] || empty_tree || return 1
    else
        snapshot_tree || return 1
        # Nothing changed since the session's last snapshot: nothing to store.
        [ "$tree" != "$parent_tree" ] || return 0
    fi
    store_event
}

main() {
    agent=
    event=
    while [ $# -ge 2 ]; do
        case $1 in
        --agent) agent=$2 ;;
        --event) event=$2 ;;
        esac
        shift 2
    done
    # The whole payload is read, so that the agent never writes into a closed pipe.
    payload=$(cat)
    [ ${#payload} -le $MAX_PAYLOAD ] || payload=$(printf "%.${MAX_PAYLOAD}s" "$payload")
    [ -z "$SELFWARE_DISABLE" ] || [ "$SELFWARE_DISABLE" = 0 ] || return 0
    find_dirs || return 0
    SELFWARE_DIR=$common_dir/selfware
    [ ! -e "$SELFWARE_DIR/disabled" ] || return 0 # `selfware-git disable`
    [ -d "$SELFWARE_DIR" ] || mkdir -p "$SELFWARE_DIR" || return 0
    clean_name "${agent:-unknown}"
    agent=$name
    # Errors go to errors.log; where even that cannot be written, nowhere.
    { snapshot 2>>"$SELFWARE_DIR/errors.log" || printf 'snapshot %s %s: failed\n' \
        "$agent" "$event" >>"$SELFWARE_DIR/errors.log"; } 2>/dev/null
}

# A subshell: even a fatal shell error inside ends there, and this script still exits 0.
(main "$@") >/dev/null 2>&1
exit 0
