package config

import (
	"fmt"
	"os"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/spf13/pflag"
)

// DeployOptions are what the config file does not say about the
// deployment and the user can: the roles in the database and the app's
// public URL. lint, roles and doctor share them.
type DeployOptions struct {
	Roles     []string
	RolesFile string
	BaseURL   string
}

// BindDeployFlags adds --role, --roles-file and --base-url.
func BindDeployFlags(fs *pflag.FlagSet, o *DeployOptions) {
	fs.StringSliceVar(&o.Roles, "role", nil, "a role that exists in the database (repeatable); with it, the roles given are taken as the complete list besides the built-ins")
	fs.StringVar(&o.RolesFile, "roles-file", "", "the roles in the database: the JSON output of airflow roles list -o json, or one name per line")
	fs.StringVar(&o.BaseURL, "base-url", "", "the app's public URL, for the callback checks (default: [webserver]/[api] base_url from --env)")
}

// Declared reads the declared roles (--role and --roles-file). A roles
// file that cannot be read is an unreadable input (exit 3); one that
// cannot be parsed a usage error naming the file.
func (o *DeployOptions) Declared() (fab.DeclaredRoles, error) {
	d := fab.DeclaredRoles{Names: append([]string{}, o.Roles...)}
	if len(o.Roles) > 0 {
		d.Source = "--role"
	}
	if o.RolesFile == "" {
		return d, nil
	}
	data, err := os.ReadFile(o.RolesFile)
	if err != nil {
		return d, fmt.Errorf("cannot read --roles-file: %w", err)
	}
	names, err := fab.ParseRoleList(data)
	if err != nil {
		return d, usage(fmt.Errorf("--roles-file %s: %v", o.RolesFile, err))
	}
	d.Names = append(d.Names, names...)
	if d.Source != "" {
		d.Source += " and "
	}
	d.Source += "--roles-file " + o.RolesFile
	return d, nil
}
