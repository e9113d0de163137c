package config

import (
	"reflect"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// A Helm values file: the Python's comments come at the YAML file's lines;
// YAML comments are found too; a '#' inside a YAML string, inside the
// block's Python string literals or inside another chart value's block is
// no comment.
func TestComments_HelmValues(t *testing.T) {
	src := `# values for the airflow chart
airflowVersion: "2.9.3"   # pinned
images:
  airflow:
    tag: "2.9.3#not-a-comment"
extraEnv: |
  # inside another block scalar: text, not a comment
webserver:
  # above the config
  webserverConfig: |
    from flask_appbuilder.const import AUTH_OAUTH
    # own line in the Python
    AUTH_TYPE = AUTH_OAUTH  # after code
    HELP = """
    # inside a triple-quoted string
    """
    SECRET_KEY = "#notacomment"
`
	f, err := Parse("values.yaml", []byte(src), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []pyread.Comment{
		{Line: 1, Text: "# values for the airflow chart"},
		{Line: 2, Text: "# pinned", AfterCode: true},
		{Line: 9, Text: "# above the config"},
		{Line: 12, Text: "# own line in the Python"},
		{Line: 13, Text: "# after code", AfterCode: true},
	}
	if got := f.Comments(); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// A ConfigMap manifest holding webserver_config.py.
func TestComments_ConfigMap(t *testing.T) {
	src := `apiVersion: v1
kind: ConfigMap
metadata:
  name: airflow-webserver-config
data:
  webserver_config.py: |
    WTF_CSRF_ENABLED = False  # authdoctor: ignore[CFG009] behind the SSO proxy
`
	f, err := Parse("cm.yaml", []byte(src), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []pyread.Comment{{Line: 7, Text: "# authdoctor: ignore[CFG009] behind the SSO proxy", AfterCode: true}}
	if got := f.Comments(); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// A .py file: its own comments, nothing of YAML.
func TestComments_Python(t *testing.T) {
	f, err := Parse("webserver_config.py", []byte("A = '#'  # real\n"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []pyread.Comment{{Line: 1, Text: "# real", AfterCode: true}}
	if got := f.Comments(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
}
