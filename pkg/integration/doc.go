// Package integration holds authdoctor's end-to-end tests: they build the
// real binary with `go build` into a temporary directory and run it as a
// user would against a real, certified OpenID provider (the oidc-provider
// npm package, started by pkg/testkit/oidcprovider on loopback).
//
// Prerequisite: Node.js 20 or later and
//
//	npm ci --prefix testdata/oidc-provider
//
// (CI's .ci/run does it). Without them the tests fail with a message saying
// what to install or run; they are never skipped.
package integration
