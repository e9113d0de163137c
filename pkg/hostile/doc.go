// Package hostile holds authdoctor's hardening tests; it has no code of
// its own. authdoctor runs during incidents against broken or hostile
// endpoints, and in CI over config files anyone can write, so:
//
//   - the hostile-server suite (servers_test.go) runs the real binary
//     against loopback servers that misbehave on purpose (endless and
//     trickled bodies, headers that never end, a gzip bomb, redirect chains
//     and loops, deeply nested JSON, huge numbers and strings, invalid
//     UTF-8, a TLS port that never handshakes) and checks that each run
//     ends with the right finding within --timeout plus a margin, in under
//     100 MB of resident memory (measured with getrusage of the child);
//   - the secret-redaction suite (secrets_test.go) runs every command in
//     every output format over inputs with planted secrets and fails if
//     any of them appears in stdout or stderr; new commands are one row in
//     its table;
//   - the no-execution suite (noexec_test.go) reads configs that try to
//     run commands, write files, import modules, loop forever or recurse
//     deeply, through the CLI, and checks the file system afterwards;
//     usercode_test.go does the same for the user's own login code, which
//     lint, roles and doctor evaluate (os.system, while True, recursion,
//     huge allocations in get_oauth_user_info, subprocess and sockets in a
//     sibling module): nothing happens and the outcome is unknown;
//   - flags that weaken or reveal (--insecure, --show-secrets) are checked
//     to be reported in the output whenever used (flags_test.go).
//
// The tests build the binary once (TestMain) with `go build`, as a user
// would get it. They are Linux-only (getrusage's ru_maxrss in kilobytes,
// Pdeathsig, /proc), like the CI.
package hostile
