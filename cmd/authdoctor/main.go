// Command authdoctor finds the root cause of OAuth / OpenID Connect / JWKS
// misconfiguration.
package main

import (
	"os"

	"github.com/authdoctor/authdoctor/pkg/cli"
)

func main() {
	code := cli.Main()
	os.Exit(code)
}
