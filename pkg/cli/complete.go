package cli

import (
	"slices"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/aadsts"
	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Completion of values, registered here for the whole tree so that the
// command packages need not know about it. Flags are found by name: a
// command that gains an --ignore or --flavor flag gets its completion
// without a change here. The shell asks through cobra's hidden __complete
// command, which builds the whole tree (newRootFor), so a run of one
// command pays nothing for this.

// registerCompletions attaches the completion functions to root and every
// command under it.
func registerCompletions(root *cobra.Command) {
	must := func(c *cobra.Command, name string, fn cobra.CompletionFunc) {
		// The only error is a flag registered twice or not found, which
		// the lookups below rule out.
		_ = c.RegisterFlagCompletionFunc(name, fn)
	}
	pf := root.PersistentFlags()
	if pf.Lookup("output") != nil {
		must(root, "output", completeOutput)
	}
	if pf.Lookup("fail-on") != nil {
		must(root, "fail-on", fixedValues("error\texit 1 on an error", "warning\texit 1 on a warning or error",
			"info\texit 1 on any finding", "never\talways exit 0 after the report"))
	}
	if pf.Lookup("color") != nil {
		must(root, "color", fixedValues("auto\ton for a terminal unless NO_COLOR is set", "always", "never"))
	}
	visit(root, func(c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			switch f.Name {
			case "flavor":
				must(c, f.Name, completeFlavor)
			case "ignore":
				must(c, f.Name, completeCheckList)
			case "provider":
				if c.Flags().Lookup("config") != nil {
					must(c, f.Name, completeProviders)
				}
			}
		})
		if c.Name() == "explain" && c.HasParent() && !c.Parent().HasParent() {
			c.ValidArgsFunction = completeExplain
		}
	})
}

// visit calls fn for every command under root (root excluded).
func visit(root *cobra.Command, fn func(*cobra.Command)) {
	for _, c := range root.Commands() {
		fn(c)
		visit(c, fn)
	}
}

// fixedValues completes from a fixed list ("value\tdescription").
func fixedValues(values ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return matching(values, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// matching keeps the candidates whose value starts with prefix, ignoring
// case (check IDs are upper case, people type lower case).
func matching(candidates []string, prefix string) []cobra.Completion {
	var out []cobra.Completion
	p := strings.ToLower(prefix)
	for _, c := range candidates {
		value, _, _ := strings.Cut(c, "\t")
		if strings.HasPrefix(strings.ToLower(value), p) {
			out = append(out, c)
		}
	}
	return out
}

// completeOutput offers the formats of the command being completed: its
// OutputsAnnotation (or its parent's), else text and json, as the root's
// check of --output reads it.
func completeOutput(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return matching(outputsOf(cmd), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// outputsOf lists the --output values a command accepts.
func outputsOf(cmd *cobra.Command) []string {
	for c := cmd; c != nil; c = c.Parent() {
		if a, ok := c.Annotations[cmdutil.OutputsAnnotation]; ok {
			return strings.Split(a, ",")
		}
	}
	return []string{"text", "json"}
}

// completeFlavor offers the --flavor values of the help text
// (fab.FlavorChoices: "airflow-2.2 (2.2–2.8)" → value and description).
func completeFlavor(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var values []string
	for _, choice := range strings.Split(fab.FlavorChoices, ", ") {
		value, desc, ok := strings.Cut(choice, " (")
		if ok {
			value += "\t" + strings.TrimSuffix(desc, ")")
		}
		values = append(values, value)
	}
	return matching(values, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// checkCandidates are the check IDs, each described by its name.
func checkCandidates() []string {
	var out []string
	for _, c := range catalog.Default().All() {
		out = append(out, c.ID+"\t"+c.Name)
	}
	return out
}

// checkAndNameCandidates are the check IDs (described by their names)
// and the check names (described by their IDs): commands take either.
func checkAndNameCandidates() []string {
	out := checkCandidates()
	for _, c := range catalog.Default().All() {
		out = append(out, c.Name+"\t"+c.ID)
	}
	return out
}

// completeCheckList completes a comma-separated list of checks, by ID or
// name (the --ignore ID,ID flag): the part after the last comma, keeping
// what comes before it and leaving out checks already listed (by either).
func completeCheckList(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, last := "", toComplete
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	listed := map[string]bool{}
	for _, l := range strings.Split(done, ",") {
		if c, ok := catalog.Default().Get(strings.TrimSpace(l)); ok {
			listed[c.ID] = true
		}
	}
	var out []cobra.Completion
	for _, c := range matching(checkAndNameCandidates(), last) {
		value, desc, _ := strings.Cut(c, "\t")
		if !listed[value] && !listed[desc] {
			out = append(out, done+c)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeExplain offers, for explain's one argument, the check IDs, the
// check names and the AADSTS codes authdoctor knows.
func completeExplain(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	candidates := checkAndNameCandidates()
	for _, c := range aadsts.All() {
		candidates = append(candidates, c.ID()+"\t"+c.Name)
	}
	return matching(candidates, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeProviders offers the OAUTH_PROVIDERS names of the file given
// with --config, read by the static reader (never executed) with the
// command line's --env, --env-file and --no-env. Anything wrong (no
// --config yet, an unreadable or hostile file, a reader failure, a read
// that takes too long) gives no candidates: completion must never fail
// loudly or hang in the user's shell.
func completeProviders(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	dir := cobra.ShellCompDirectiveNoFileComp
	path, _ := cmd.Flags().GetString("config")
	if path == "" {
		return nil, dir
	}
	var o config.LoadOptions
	o.Env, _ = cmd.Flags().GetStringArray("env")
	o.EnvFiles, _ = cmd.Flags().GetStringArray("env-file")
	o.NoEnv, _ = cmd.Flags().GetBool("no-env")
	return matching(providerNamesWith(config.Load, providersTimeout, path, o), toComplete), dir
}

// providersTimeout bounds the read for completion. The reader is bounded,
// but a hostile file can still take seconds to turn into settings; a TAB
// press gives up rather than wait (the shell's __complete process then
// exits, and the read with it).
var providersTimeout = 2 * time.Second

// providerNamesWith reads the provider names of a config file with load, or
// nil when the read fails or outlasts timeout. The loader is a parameter,
// not a package variable, so a test can make it slow without racing the
// goroutine it leaves behind.
func providerNamesWith(load func(string, config.LoadOptions) (*config.File, error), timeout time.Duration, path string, o config.LoadOptions) []string {
	done := make(chan []string, 1)
	go func() {
		defer func() {
			if recover() != nil {
				done <- nil
			}
		}()
		f, err := load(path, o)
		if err != nil || f.Config == nil {
			done <- nil
			return
		}
		var names []string
		for _, p := range f.Config.Providers() {
			if p.Name != "" && !slices.Contains(names, p.Name) {
				names = append(names, p.Name)
			}
		}
		done <- names
	}()
	select {
	case names := <-done:
		return names
	case <-time.After(timeout):
		return nil
	}
}
